import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planRewards } from "../../src/stores/commit/reward-plan.js";

const earliest = (eventId: string, isDefault = false) => ({ eventId, isDefault, aggregation: "earliest" as const });
const sum = (eventId: string, isDefault = false) => ({ eventId, isDefault, aggregation: "sum" as const });

describe("planRewards", () => {
  it("groups ops per event in batch order", () => {
    const plans = planRewards([earliest("x"), earliest("y"), earliest("x")]);
    assert.deepEqual([...plans.keys()], ["x", "y"]);
    assert.deepEqual(plans.get("x")?.ops, [0, 2]);
    assert.deepEqual(plans.get("y")?.ops, [1]);
  });

  it("earliest: only the first counts, and nothing when the event was rewarded", () => {
    const plan = planRewards([earliest("x"), earliest("x"), earliest("x", true)]).get("x")!;
    assert.deepEqual(plan.countedIfEmpty, [true, false, false]);
    assert.deepEqual(plan.countedIfRewarded, [false, false, false]);
    assert.deepEqual([plan.countIfEmpty, plan.countIfRewarded], [1, 0]);
  });

  it("sum: every client reward counts; a default only while there is no reward", () => {
    const plan = planRewards([sum("x", true), sum("x"), sum("x", true), sum("x")]).get("x")!;
    assert.deepEqual(plan.countedIfEmpty, [true, true, false, true]);
    assert.deepEqual(plan.countedIfRewarded, [false, true, false, true]);
    assert.deepEqual([plan.countIfEmpty, plan.countIfRewarded], [3, 2]);
  });

  it("a default reward after a client reward in the same batch is refused", () => {
    const plan = planRewards([earliest("x"), earliest("x", true)]).get("x")!;
    assert.deepEqual(plan.countedIfEmpty, [true, false]);
  });
});

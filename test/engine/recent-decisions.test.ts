import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type DecisionInfo, RecentDecisions } from "../../src/engine/recent-decisions.js";

const info = (armId: string): DecisionInfo => ({
  experimentId: "x",
  segment: "*",
  armId,
  group: "bandit",
  activated: true,
  rewarded: false,
});

describe("RecentDecisions", () => {
  it("keeps at most its capacity and at least the latest half of it", () => {
    const recent = new RecentDecisions(10);
    for (let i = 0; i < 103; i++) {
      recent.set(`e${i}`, info(`a${i}`));
      assert.ok(recent.size <= 10, `size ${recent.size} after ${i + 1} sets`);
      for (let j = Math.max(0, i - 4); j <= i; j++) assert.equal(recent.get(`e${j}`)?.armId, `a${j}`, `e${j} kept`);
    }
    assert.equal(recent.has("e0"), false, "the oldest are gone");
  });

  it("an id set again lives in one generation only; delete removes it from both", () => {
    const recent = new RecentDecisions(4);
    recent.set("a", info("1"));
    recent.set("b", info("1")); // current is full: it becomes the previous generation
    recent.set("a", info("2"));
    assert.equal(recent.size, 2);
    assert.equal(recent.get("a")?.armId, "2");
    recent.delete("a");
    assert.equal(recent.has("a"), false);
    assert.equal(recent.get("b")?.armId, "1");
  });
});

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { BanditryError } from "../../src/domain/errors.js";
import { GroupCommitter } from "../../src/engine/group-committer.js";
import type { CommitBatch, Stores } from "../../src/stores/stores.js";
import { sqliteStores } from "../helpers/sqlite.js";
import { decision, experiment, rewardOp } from "../stores/fixtures.js";

const sqlite = sqliteStores();
after(() => sqlite.cleanup());

function committer(stores: Stores, batches: CommitBatch[], flushIntervalMs = 5) {
  return new GroupCommitter(stores.eventStore, {
    flushIntervalMs,
    maxBatch: 1000,
    rewardWaitMs: () => undefined,
    onCommitted: (batch) => batches.push(batch),
    now: () => 1_700_000_000_000,
  });
}

describe("group committer", () => {
  it("writes concurrent events in one batch and resolves each caller with its outcome", async () => {
    const stores = await sqlite.create();
    await stores.experimentStore.create(experiment("g1"));
    const batches: CommitBatch[] = [];
    const c = committer(stores, batches);
    const ds = [1, 2, 3].map((i) => decision(`d${i}`, "g1"));
    const inserted = await Promise.all(ds.map((d) => c.addDecision(d)));
    assert.deepEqual(inserted, [true, true, true]);
    assert.equal(batches.length, 1, "three concurrent decisions share one commit");
    const outcomes = await Promise.all([c.addReward(rewardOp(ds[0]!, 1)), c.addReward(rewardOp(ds[0]!, 0))]);
    assert.deepEqual(outcomes, ["applied", "duplicate"]);
    await c.close();
    await assert.rejects(c.addDecision(decision("late", "g1")), /closed/);
  });

  it("isolates an item the store refuses: only its caller fails", async () => {
    const stores = await sqlite.create();
    await stores.experimentStore.create(experiment("g2"));
    const c = committer(stores, []);
    const first = decision("ok-1", "g2");
    await c.addDecision(first);
    const bad = rewardOp(first, 1, { evidence: { n: Number.NaN, s1: 0, s2: 0 } });
    const [good, refused] = await Promise.allSettled([c.addDecision(decision("ok-2", "g2")), c.addReward(bad)]);
    assert.equal(good.status, "fulfilled", "the valid decision in the same batch is committed");
    assert.equal(refused.status, "rejected", "the invalid reward fails");
    assert.ok(refused.status === "rejected" && refused.reason instanceof BanditryError, "with a BanditryError");
    const found = await stores.eventStore.getDecisions(["ok-2"]);
    assert.ok(found.has("ok-2"), "ok-2 is durable");
    await c.close();
  });

  it("with flushIntervalMs 0 writes what one event-loop turn queued as one batch, then the next turn's", async () => {
    const stores = await sqlite.create();
    await stores.experimentStore.create(experiment("g3"));
    const batches: CommitBatch[] = [];
    const c = committer(stores, batches, 0);
    const first = [1, 2, 3].map((i) => c.addDecision(decision(`t1-${i}`, "g3")));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = [1, 2].map((i) => c.addDecision(decision(`t2-${i}`, "g3")));
    assert.deepEqual(await Promise.all([...first, ...second]), [true, true, true, true, true]);
    assert.deepEqual(
      batches.map((b) => b.decisions.map((d) => d.eventId)),
      [
        ["t1-1", "t1-2", "t1-3"],
        ["t2-1", "t2-2"],
      ],
    );
    // close() cancels a pending end-of-turn flush and writes the queue itself
    const last = c.addDecision(decision("t3", "g3"));
    await c.close();
    assert.equal(await last, true);
    assert.equal(batches.length, 3);
  });
});

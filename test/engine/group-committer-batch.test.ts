import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { BanditryError } from "../../src/domain/errors.js";
import { GroupCommitter } from "../../src/engine/group-committer.js";
import { RewardFailure } from "../../src/engine/group-committer-batch.js";
import type { CommitBatch, Stores } from "../../src/stores/stores.js";
import { sqliteStores } from "../helpers/sqlite.js";
import { decision, experiment, rewardOp } from "../stores/fixtures.js";

const sqlite = sqliteStores();
after(() => sqlite.cleanup());

function committer(stores: Stores, batches: CommitBatch[], maxBatch = 1000) {
  return new GroupCommitter(stores.eventStore, {
    flushIntervalMs: 5,
    maxBatch,
    rewardWaitMs: () => undefined,
    onCommitted: (batch) => batches.push(batch),
    now: () => 1_700_000_000_000,
  });
}

describe("group committer: addRewards", () => {
  it("answers each op's outcome in order, with one commit for the batch", async () => {
    const stores = await sqlite.create();
    await stores.experimentStore.create(experiment("b1"));
    const batches: CommitBatch[] = [];
    const c = committer(stores, batches);
    const [d1, d2] = [decision("b1-1", "b1"), decision("b1-2", "b1")];
    await Promise.all([c.addDecision(d1), c.addDecision(d2)]);
    batches.length = 0;
    const outcomes = await c.addRewards([
      rewardOp(d1, 1),
      rewardOp(d2, 0),
      rewardOp(d1, 0),
      rewardOp(decision("nope", "b1"), 1),
    ]);
    assert.deepEqual(outcomes, ["applied", "applied", "duplicate", "unknown"]);
    assert.equal(batches.length, 1);
    assert.deepEqual(await c.addRewards([]), []);
    await c.close();
    await assert.rejects(c.addRewards([rewardOp(d1, 1)]), /closed/);
  });

  it("fails only the op the store refuses, as a RewardFailure; the others are committed", async () => {
    const stores = await sqlite.create();
    await stores.experimentStore.create(experiment("b2"));
    const c = committer(stores, []);
    const [d1, d2] = [decision("b2-1", "b2"), decision("b2-2", "b2")];
    await Promise.all([c.addDecision(d1), c.addDecision(d2)]);
    const bad = rewardOp(d1, 1, { evidence: { n: Number.NaN, s1: 0, s2: 0 } });
    const [failed, good] = await c.addRewards([bad, rewardOp(d2, 1)]);
    assert.ok(failed instanceof RewardFailure && failed.error instanceof BanditryError);
    assert.equal(good, "applied");
    assert.deepEqual(await c.addRewards([rewardOp(d1, 1)]), ["applied"], "the refused op left no trace");
    await c.close();
  });

  it("a batch larger than maxBatch is committed whole", async () => {
    const stores = await sqlite.create();
    await stores.experimentStore.create(experiment("b3"));
    const batches: CommitBatch[] = [];
    const c = committer(stores, batches, 2);
    const ds = [1, 2, 3].map((i) => decision(`b3-${i}`, "b3"));
    await Promise.all(ds.map((d) => c.addDecision(d)));
    const outcomes = await c.addRewards(ds.map((d) => rewardOp(d, 1)));
    assert.deepEqual(outcomes, ["applied", "applied", "applied"]);
    await c.close();
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EvaluationRecord } from "../../src/evaluation/evaluation-types.js";
import type { Stores } from "../../src/stores/stores.js";
import type { StoreHarness } from "./contract.js";
import { uid } from "./fixtures.js";
import { freshStoresEachTest } from "./fresh-stores.js";

function evaluation(id: string, experimentId: string, overrides: Partial<EvaluationRecord> = {}): EvaluationRecord {
  return {
    id,
    experimentId,
    name: `evaluation ${id}`,
    status: "pending",
    from: 0,
    to: 10_000,
    policies: [{ name: "thompson" }, { name: "p", arguments: "--epsilon 0.2 -q ::" }],
    loggedAverageReward: null,
    results: null,
    error: null,
    createdAt: 5000,
    finishedAt: null,
    ...overrides,
  };
}

/** The EvaluationStore part of every store's contract (run beside runStoreContract). */
export function runEvaluationStoreContract(harness: StoreHarness): void {
  describe(`evaluation store contract: ${harness.name}`, { skip: harness.skip ?? false }, () => {
    let stores: Stores;
    freshStoresEachTest(harness, (s) => {
      stores = s;
    });

    it("creates, gets and lists newest first, per experiment; unknown ids are undefined", async () => {
      const exp = uid("exp");
      const other = uid("exp");
      const first = evaluation(uid("ev"), exp, { createdAt: 1000 });
      const second = evaluation(uid("ev"), exp, { createdAt: 2000 });
      const elsewhere = evaluation(uid("ev"), other, { createdAt: 3000 });
      for (const r of [first, second, elsewhere]) await stores.evaluationStore.create(r, r.createdAt);
      assert.deepEqual(await stores.evaluationStore.get(first.id), first);
      assert.equal(await stores.evaluationStore.get(uid("missing")), undefined);
      assert.deepEqual(
        (await stores.evaluationStore.list({ experimentId: exp })).map((r) => r.id),
        [second.id, first.id],
      );
      const all = (await stores.evaluationStore.list()).map((r) => r.id);
      assert.ok(all.indexOf(elsewhere.id) < all.indexOf(second.id), "newest first across experiments");
    });

    it("save replaces unfinished records only; a finished record is final", async () => {
      const r = evaluation(uid("ev"), uid("exp"));
      await stores.evaluationStore.create(r, 5000);
      const running = { ...r, status: "running" as const };
      assert.equal(await stores.evaluationStore.save(running, 6000), true);
      const done: EvaluationRecord = {
        ...running,
        status: "succeeded",
        loggedAverageReward: 0.25,
        results: [
          {
            policy: { name: "thompson" },
            events: 10,
            ips: { value: 0.3, lower: 0.1, upper: 0.5 },
            snips: { value: 0.31, lower: 0.11, upper: 0.51 },
            doublyRobust: { value: 0.29, lower: 0.2, upper: 0.38 },
            ipsEstimatorNumerator: 3,
            ipsEstimatorDenominator: 10,
            snipsEstimatorDenominator: 9.7,
            effectiveSampleSize: 8.5,
            featureImportance: [{ name: "ctx.a=1*act.id=x", weight: -0.125 }],
          },
        ],
        finishedAt: 7000,
      };
      assert.equal(await stores.evaluationStore.save(done, 7000), true);
      assert.deepEqual(await stores.evaluationStore.get(r.id), done);
      assert.equal(await stores.evaluationStore.save({ ...done, status: "failed" }, 8000), false, "final");
      assert.equal((await stores.evaluationStore.get(r.id))?.status, "succeeded");
      assert.equal(await stores.evaluationStore.save(evaluation(uid("missing"), "x"), 8000), false, "unknown id");
    });

    it("delete removes a record once", async () => {
      const r = evaluation(uid("ev"), uid("exp"));
      await stores.evaluationStore.create(r, 5000);
      assert.equal(await stores.evaluationStore.delete(r.id), true);
      assert.equal(await stores.evaluationStore.delete(r.id), false);
      assert.equal(await stores.evaluationStore.get(r.id), undefined);
      assert.equal(await stores.evaluationStore.save({ ...r, status: "running" }, 6000), false, "deleted: not saved");
    });

    it("failStale fails pending and running records whose heartbeat is older than the cutoff", async () => {
      const exp = uid("exp");
      const stale = evaluation(uid("ev"), exp);
      const staleRunning = evaluation(uid("ev"), exp);
      const fresh = evaluation(uid("ev"), exp);
      const finished = evaluation(uid("ev"), exp);
      await stores.evaluationStore.create(stale, 1000);
      await stores.evaluationStore.create(staleRunning, 1000);
      await stores.evaluationStore.save({ ...staleRunning, status: "running" }, 2000);
      await stores.evaluationStore.create(fresh, 1000);
      await stores.evaluationStore.save({ ...fresh, status: "running" }, 9000); // heartbeat at 9000
      await stores.evaluationStore.create(finished, 1000);
      await stores.evaluationStore.save({ ...finished, status: "succeeded", finishedAt: 1500 }, 1500);
      const error = { code: "BANDITRY_UNAVAILABLE", message: "process stopped" };
      const failed = await stores.evaluationStore.failStale(5000, error, 10_000);
      const mine = failed.filter((id) => [stale.id, staleRunning.id, fresh.id, finished.id].includes(id));
      assert.deepEqual(mine.sort(), [stale.id, staleRunning.id].sort());
      for (const id of [stale.id, staleRunning.id]) {
        const r = await stores.evaluationStore.get(id);
        assert.deepEqual([r?.status, r?.error, r?.finishedAt], ["failed", error, 10_000]);
      }
      assert.equal((await stores.evaluationStore.get(fresh.id))?.status, "running");
      assert.equal((await stores.evaluationStore.get(finished.id))?.status, "succeeded");
      assert.deepEqual(
        (await stores.evaluationStore.failStale(5000, error, 11_000)).filter((id) => id === stale.id),
        [],
        "already failed: not again",
      );
    });
  });
}

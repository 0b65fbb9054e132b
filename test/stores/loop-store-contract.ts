import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isBanditryError } from "../../src/domain/errors.js";
import type { Stores } from "../../src/stores/stores.js";
import type { StoreHarness } from "./contract.js";
import { batch, decision, experiment, rewardOp, uid } from "./fixtures.js";
import { freshStoresEachTest } from "./fresh-stores.js";

/** The Personalizer loop reads (log range, deleting logs, reward buckets, slot event ids) on every store. */
export function runLoopStoreContract(harness: StoreHarness): void {
  describe(`loop store contract: ${harness.name}`, { skip: harness.skip ?? false }, () => {
    let stores: Stores;
    freshStoresEachTest(harness, (s) => {
      stores = s;
    });

    async function seeded() {
      const id = uid("loop");
      const other = uid("loop");
      await stores.experimentStore.create(experiment(id));
      await stores.experimentStore.create(experiment(other));
      const ds = [1000, 1500, 4000, 9000].map((t, i) => decision(`${id}/ev-${i}`, id, { createdAt: t }));
      const foreign = decision(`${other}/ev-0`, other, { createdAt: 500 });
      await stores.eventStore.commit(batch({ decisions: [...ds, foreign] }));
      // rewards at 2000 (0.5), 2500 (1), 7000 (-1); the foreign one must not count
      await stores.eventStore.commit(
        batch({
          rewards: [
            rewardOp(ds[0]!, 0.5, { createdAt: 2000 }),
            rewardOp(ds[1]!, 1, { createdAt: 2500 }),
            rewardOp(ds[2]!, -1, { createdAt: 7000 }),
            rewardOp(foreign, 1, { createdAt: 2000 }),
          ],
        }),
      );
      return { id, other, ds };
    }

    it("logDateRange gives the oldest and newest decision, null without decisions", async () => {
      const { id } = await seeded();
      assert.deepEqual(await stores.loopStore.logDateRange(id), { from: 1000, to: 9000 });
      assert.equal(await stores.loopStore.logDateRange(uid("none")), null);
    });

    it("rewardBuckets sums applied rewards per bucket of the range, empty buckets left out", async () => {
      const { id } = await seeded();
      const buckets = await stores.loopStore.rewardBuckets(id, { from: 0, to: 10_000, bucketMs: 2500 });
      assert.deepEqual(buckets, [
        { start: 0, rewards: 1, rewardSum: 0.5 },
        { start: 2500, rewards: 1, rewardSum: 1 },
        { start: 5000, rewards: 1, rewardSum: -1 },
      ]);
      const narrow = await stores.loopStore.rewardBuckets(id, { from: 2000, to: 2500, bucketMs: 100 });
      assert.deepEqual(narrow, [{ start: 2000, rewards: 1, rewardSum: 0.5 }]);
      await assert.rejects(stores.loopStore.rewardBuckets(id, { from: 0, to: 1e9, bucketMs: 1 }), (e: unknown) => {
        assert.ok(isBanditryError(e), `expected a BanditryError, got ${String(e)}`);
        assert.equal(e.code, "BANDITRY_INVALID_PARAMETER");
        return true;
      });
    });

    it("deleteLogs removes the experiment's decisions and rewards only, and keeps its posteriors", async () => {
      const { id, other } = await seeded();
      const before = await stores.eventStore.loadPosteriors(id);
      assert.deepEqual(await stores.loopStore.deleteLogs(id), { decisions: 4, rewards: 3 });
      assert.equal(await stores.loopStore.logDateRange(id), null);
      assert.deepEqual(await stores.loopStore.rewardBuckets(id, { from: 0, to: 10_000, bucketMs: 10_000 }), []);
      assert.deepEqual(await stores.loopStore.logDateRange(other), { from: 500, to: 500 });
      assert.deepEqual(await stores.eventStore.loadPosteriors(id), before);
      assert.deepEqual(await stores.loopStore.deleteLogs(id), { decisions: 0, rewards: 0 });
    });

    it("eventIdsWithPrefix finds one experiment's ids by prefix, in id order, up to limit", async () => {
      const id = uid("loop");
      await stores.experimentStore.create(experiment(id));
      const ids = [`${id}#/e1/Main`, `${id}#/e1/Side`, `${id}#/e10/Main`, `${id}#/e1x`, `${id}/e1`];
      await stores.eventStore.commit(batch({ decisions: ids.map((e) => decision(e, id)) }));
      assert.deepEqual(await stores.loopStore.eventIdsWithPrefix(id, `${id}#/e1/`, 50), [
        `${id}#/e1/Main`,
        `${id}#/e1/Side`,
      ]);
      assert.deepEqual(await stores.loopStore.eventIdsWithPrefix(id, `${id}#/e1/`, 1), [`${id}#/e1/Main`]);
      assert.deepEqual(await stores.loopStore.eventIdsWithPrefix(uid("other"), `${id}#/e1/`, 50), []);
    });
  });
}

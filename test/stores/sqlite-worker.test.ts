import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { BanditryError, isBanditryError } from "../../src/domain/errors.js";
import { createStores } from "../../src/stores/create-stores.js";
import type { Stores } from "../../src/stores/stores.js";
import { tempDataDir } from "../helpers/sqlite.js";
import { runAdsStoreContract } from "./ads-store-contract.js";
import { runStoreContract } from "./contract.js";
import { runEvaluationStoreContract } from "./evaluation-store-contract.js";
import { decision, experiment, uid } from "./fixtures.js";
import { runLoopStoreContract } from "./loop-store-contract.js";

async function open(dataDir: string): Promise<Stores> {
  return createStores({ kind: "sqlite", dataDir, synchronous: "NORMAL", worker: true });
}

/**
 * Starting a worker loads Kysely and tsx's loader in a fresh thread (about a second here), so the
 * contract's tests share one database, as they do on PostgreSQL (every test uses its own ids): one
 * worker, plus one peer worker on the same file for the racing tests; each worker blocks only its
 * own thread while it waits for the other's write lock. close() is deferred to cleanup (closing
 * itself is tested below).
 */
function sharedWorkerStores() {
  let main: Promise<{ stores: Stores; dir: string; remove(): Promise<void> }> | undefined;
  let peer: Promise<Stores> | undefined;
  const view = (stores: Stores): Stores => ({ ...stores, close: async () => {} });
  const first = () => {
    main ??= (async () => {
      const { dir, remove } = await tempDataDir();
      const stores = await open(dir);
      await stores.migrate();
      return { stores, dir, remove };
    })();
    return main;
  };
  return {
    name: "sqlite in a worker thread",
    create: async () => view((await first()).stores),
    async createPeer() {
      peer ??= first().then(({ dir }) => open(dir));
      return view(await peer);
    },
    async cleanup() {
      await (await peer)?.close();
      const m = await main;
      await m?.stores.close();
      await m?.remove();
    },
  };
}

runStoreContract(sharedWorkerStores());
runEvaluationStoreContract(sharedWorkerStores());
runLoopStoreContract(sharedWorkerStores());
runAdsStoreContract(sharedWorkerStores());

describe("sqlite worker proxy", () => {
  const tmp = tempDataDir();
  after(async () => (await tmp).remove());

  it("re-creates a BanditryError with its code and field, and fails calls after close", async () => {
    const stores = await open((await tmp).dir);
    await stores.migrate();
    const id = uid("exp");
    await stores.experimentStore.create(experiment(id));
    await assert.rejects(stores.experimentStore.create(experiment(id)), (e: unknown) => {
      assert.ok(e instanceof BanditryError, `expected a BanditryError, got ${String(e)}`);
      assert.equal(e.code, "BANDITRY_EXPERIMENT_EXISTS");
      assert.equal(e.status, 409);
      return true;
    });
    await assert.rejects(stores.eventStore.rescaleEvidence(id, -1), (e: unknown) => {
      assert.ok(isBanditryError(e), `expected a BanditryError, got ${String(e)}`);
      assert.deepEqual([e.code, e.field], ["BANDITRY_INVALID_PARAMETER", "factor"]);
      return true;
    });
    await stores.close();
    await stores.close();
    await assert.rejects(stores.experimentStore.get(id), /closed/);
  });

  it("an export stopped early frees its cursor; decisions keep their shape (Map, null, nested)", async () => {
    const stores = await open((await tmp).dir);
    try {
      const id = uid("exp");
      await stores.experimentStore.create(experiment(id));
      const decisions = Array.from({ length: 1200 }, (_, i) =>
        decision(uid("ev"), id, { createdAt: 1000 + i, context: { country: "de", n: i } }),
      );
      await stores.eventStore.commit({ decisions, rewards: [], activations: [], now: 5000, rewardWaitMs: {} });
      let seen = 0;
      for await (const d of stores.eventStore.exportDecisions(id)) {
        if (++seen === 700) break;
        assert.deepEqual(d.rewards, []);
      }
      assert.equal(seen, 700);
      const got = await stores.eventStore.getDecisions([decisions[3]!.eventId, "missing"]);
      assert.ok(got instanceof Map, "getDecisions answers a Map");
      assert.deepEqual(got.get(decisions[3]!.eventId), decisions[3]);
      let all = 0;
      for await (const _ of stores.eventStore.exportDecisions(id)) all++;
      assert.equal(all, 1200);
    } finally {
      await stores.close();
    }
  });

  it("reports a failure to open as the worker's error", async () => {
    // a data directory that is a file: mkdir fails in the worker
    const { writeFile } = await import("node:fs/promises");
    const file = `${(await tmp).dir}/not-a-dir`;
    await writeFile(file, "x");
    await assert.rejects(
      createStores({ kind: "sqlite", dataDir: `${file}/sub`, worker: true }),
      (e: unknown) => e instanceof Error && /ENOTDIR|not a directory/.test(e.message),
    );
  });
});

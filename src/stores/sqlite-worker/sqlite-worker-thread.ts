/**
 * The worker thread that owns the SQLite connection: it opens the ordinary in-thread Kysely
 * stores and serves the main thread's proxy (create-sqlite-worker-stores.ts), so every
 * synchronous better-sqlite3 call, the COMMIT and its fsync included, runs off the main event loop.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createStores } from "../create-stores.js";
import type { AdsStore, DecisionWithRewards, Stores } from "../stores.js";
import {
  ADS_STORE_METHODS,
  type SqliteWorkerData,
  toWorkerError,
  type WorkerMethod,
  type WorkerRequest,
} from "./worker-protocol.js";

/** Decisions per export message: large enough to amortize a round trip, small enough to stream. */
const EXPORT_PAGE_SIZE = 500;

const port = parentPort!;
const data = workerData as SqliteWorkerData;

type Handler = (args: unknown[]) => unknown;

/** A store method called with the message's arguments. */
function bind<S extends object>(store: S, name: keyof S & string): Handler {
  const method = store[name] as (...args: unknown[]) => unknown;
  return (args) => method.apply(store, args);
}

function handlers(stores: Stores): Record<WorkerMethod, Handler> {
  const { experimentStore: x, eventStore: e, keyStore: k } = stores;
  const cursors = new Map<number, AsyncIterator<DecisionWithRewards>>();
  let nextCursor = 1;
  return {
    "experimentStore.create": bind(x, "create"),
    "experimentStore.get": bind(x, "get"),
    "experimentStore.list": bind(x, "list"),
    "experimentStore.changedSince": bind(x, "changedSince"),
    "experimentStore.update": bind(x, "update"),
    "experimentStore.addArm": bind(x, "addArm"),
    "experimentStore.setArmState": bind(x, "setArmState"),
    "eventStore.commit": bind(e, "commit"),
    "eventStore.getDecisions": bind(e, "getDecisions"),
    "eventStore.decisionRefs": bind(e, "decisionRefs"),
    "eventStore.dueForDefaultReward": bind(e, "dueForDefaultReward"),
    "eventStore.loadPosteriors": bind(e, "loadPosteriors"),
    "eventStore.posteriorsChangedSince": bind(e, "posteriorsChangedSince"),
    "eventStore.groupStats": bind(e, "groupStats"),
    "eventStore.rescaleEvidence": bind(e, "rescaleEvidence"),
    "keyStore.create": bind(k, "create"),
    "keyStore.findByHash": bind(k, "findByHash"),
    "keyStore.list": bind(k, "list"),
    "keyStore.revoke": bind(k, "revoke"),
    "keyStore.count": bind(k, "count"),
    "loopStore.logDateRange": bind(stores.loopStore, "logDateRange"),
    "loopStore.deleteLogs": bind(stores.loopStore, "deleteLogs"),
    "loopStore.rewardBuckets": bind(stores.loopStore, "rewardBuckets"),
    "loopStore.eventIdsWithPrefix": bind(stores.loopStore, "eventIdsWithPrefix"),
    "linearStore.learningLog": bind(stores.linearStore, "learningLog"),
    "linearStore.learningLogKeys": bind(stores.linearStore, "learningLogKeys"),
    "linearStore.learningLogRows": bind(stores.linearStore, "learningLogRows"),
    "linearStore.loadSnapshot": bind(stores.linearStore, "loadSnapshot"),
    "linearStore.snapshotCreatedAt": bind(stores.linearStore, "snapshotCreatedAt"),
    "linearStore.saveSnapshot": bind(stores.linearStore, "saveSnapshot"),
    ...(Object.fromEntries(ADS_STORE_METHODS.map((m) => [`adsStore.${m}`, bind(stores.adsStore, m)])) as Record<
      `adsStore.${keyof AdsStore & string}`,
      Handler
    >),
    "evaluationStore.create": bind(stores.evaluationStore, "create"),
    "evaluationStore.get": bind(stores.evaluationStore, "get"),
    "evaluationStore.list": bind(stores.evaluationStore, "list"),
    "evaluationStore.save": bind(stores.evaluationStore, "save"),
    "evaluationStore.delete": bind(stores.evaluationStore, "delete"),
    "evaluationStore.failStale": bind(stores.evaluationStore, "failStale"),
    "export.open": ([experimentId, options]) => {
      const id = nextCursor++;
      const iterable = e.exportDecisions(experimentId as string, options as { from?: number; to?: number });
      cursors.set(id, iterable[Symbol.asyncIterator]());
      return id;
    },
    "export.next": async ([id]) => {
      const cursor = cursors.get(id as number);
      if (cursor === undefined) return [[], true];
      const page: DecisionWithRewards[] = [];
      while (page.length < EXPORT_PAGE_SIZE) {
        const item = await cursor.next();
        if (item.done) {
          cursors.delete(id as number);
          return [page, true];
        }
        page.push(item.value);
      }
      return [page, false];
    },
    "export.close": async ([id]) => {
      const cursor = cursors.get(id as number);
      cursors.delete(id as number);
      await cursor?.return?.();
    },
    migrate: () => stores.migrate(),
    close: () => stores.close(),
  };
}

try {
  const stores = await createStores({
    kind: "sqlite",
    dataDir: data.dataDir,
    synchronous: data.synchronous,
    backgroundCheckpoints: data.backgroundCheckpoints,
  });
  const table = handlers(stores);
  port.on("message", ([id, method, args]: WorkerRequest) => {
    let result: unknown;
    try {
      result = table[method](args);
    } catch (e) {
      port.postMessage([id, false, toWorkerError(e)]);
      return;
    }
    Promise.resolve(result).then(
      (value) => port.postMessage([id, true, value]),
      (e: unknown) => port.postMessage([id, false, toWorkerError(e)]),
    );
  });
  port.postMessage([0, true, null]);
} catch (e) {
  port.postMessage([0, false, toWorkerError(e)]);
}

import { PendingCalls } from "../pending-calls.js";
import { startWorkerThread } from "../start-worker-thread.js";
import type {
  AdsStore,
  CommitBatch,
  CommitResult,
  DecisionWithRewards,
  EvaluationStore,
  EventStore,
  ExperimentStore,
  KeyStore,
  LinearStore,
  LoopStore,
  Stores,
} from "../stores.js";
import {
  ADS_STORE_METHODS,
  fromWorkerError,
  type SqliteWorkerData,
  type WorkerMethod,
  type WorkerRequest,
  type WorkerResponse,
} from "./worker-protocol.js";

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * SQLite stores whose connection lives in a worker thread: the same Stores, each call a message
 * (request id → promise). The worker is unreferenced while no call is pending, so forgotten
 * stores do not keep the process alive, just as an in-thread connection would not.
 */
export async function createSqliteWorkerStores(data: SqliteWorkerData): Promise<Stores> {
  const worker = startWorkerThread(import.meta.url, "sqlite-worker-thread", data);
  const pending = new PendingCalls<Pending>();
  let nextId = 1;
  let failure: Error | undefined;

  const failAll = (error: Error) => {
    failure ??= error;
    for (const [, p] of pending.takeAll()) p.reject(error);
  };
  worker.on("message", ([id, ok, value]: WorkerResponse) => {
    const p = pending.take(id);
    if (p === undefined) return;
    if (pending.size === 0) worker.unref();
    if (ok) p.resolve(value);
    else p.reject(fromWorkerError(value));
  });
  worker.on("error", (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on("exit", (code) => failAll(new Error(`the SQLite worker thread exited (code ${code})`)));

  // id 0 is the worker's "opened" (or its failure to open)
  try {
    await new Promise((resolve, reject) => pending.add(0, { resolve, reject }));
  } catch (e) {
    await worker.terminate();
    throw e;
  }
  worker.unref();

  function call<T>(method: WorkerMethod, args: unknown[]): Promise<T> {
    if (failure !== undefined) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      if (pending.size === 0) worker.ref();
      pending.add(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage([id, method, args] satisfies WorkerRequest);
    });
  }
  /** A store method forwarded to the worker (typed by the store interfaces it is assigned to). */
  const fwd =
    (method: WorkerMethod) =>
    (...args: unknown[]): Promise<never> =>
      call<never>(method, args);

  const experimentStore: ExperimentStore = {
    create: fwd("experimentStore.create"),
    get: fwd("experimentStore.get"),
    list: fwd("experimentStore.list"),
    changedSince: fwd("experimentStore.changedSince"),
    update: fwd("experimentStore.update"),
    addArm: fwd("experimentStore.addArm"),
    setArmState: fwd("experimentStore.setArmState"),
  };
  const eventStore: EventStore = {
    // a decision that carries its features' text crosses without the object tree (cloning it cost
    // as much as the insert); the worker's row writer needs only the text
    commit: (batch: CommitBatch) => call<CommitResult>("eventStore.commit", [withoutFeatureObjects(batch)]),
    getDecisions: fwd("eventStore.getDecisions"),
    decisionRefs: fwd("eventStore.decisionRefs"),
    dueForDefaultReward: fwd("eventStore.dueForDefaultReward"),
    loadPosteriors: fwd("eventStore.loadPosteriors"),
    posteriorsChangedSince: fwd("eventStore.posteriorsChangedSince"),
    groupStats: fwd("eventStore.groupStats"),
    rescaleEvidence: fwd("eventStore.rescaleEvidence"),
    async *exportDecisions(experimentId, options = {}) {
      const cursor = await call<number>("export.open", [experimentId, options]);
      let done = false;
      try {
        while (!done) {
          let page: DecisionWithRewards[];
          [page, done] = await call<[DecisionWithRewards[], boolean]>("export.next", [cursor]);
          yield* page;
        }
      } finally {
        // the consumer stopped early: free the worker's cursor
        if (!done) await call("export.close", [cursor]);
      }
    },
  };
  const keyStore: KeyStore = {
    create: fwd("keyStore.create"),
    findByHash: fwd("keyStore.findByHash"),
    list: fwd("keyStore.list"),
    revoke: fwd("keyStore.revoke"),
    count: fwd("keyStore.count"),
  };
  const loopStore: LoopStore = {
    logDateRange: fwd("loopStore.logDateRange"),
    deleteLogs: fwd("loopStore.deleteLogs"),
    rewardBuckets: fwd("loopStore.rewardBuckets"),
    eventIdsWithPrefix: fwd("loopStore.eventIdsWithPrefix"),
  };
  const linearStore: LinearStore = {
    learningLog: fwd("linearStore.learningLog"),
    learningLogKeys: fwd("linearStore.learningLogKeys"),
    learningLogRows: fwd("linearStore.learningLogRows"),
    loadSnapshot: fwd("linearStore.loadSnapshot"),
    snapshotCreatedAt: fwd("linearStore.snapshotCreatedAt"),
    saveSnapshot: fwd("linearStore.saveSnapshot"),
  };

  const evaluationStore: EvaluationStore = {
    create: fwd("evaluationStore.create"),
    get: fwd("evaluationStore.get"),
    list: fwd("evaluationStore.list"),
    save: fwd("evaluationStore.save"),
    delete: fwd("evaluationStore.delete"),
    failStale: fwd("evaluationStore.failStale"),
  };

  let closed: Promise<void> | undefined;
  return {
    dialect: "sqlite",
    experimentStore,
    eventStore,
    keyStore,
    loopStore,
    linearStore,
    evaluationStore,
    adsStore: Object.fromEntries(ADS_STORE_METHODS.map((m) => [m, fwd(`adsStore.${m}`)])) as unknown as AdsStore,
    migrate: () => call("migrate", []),
    close: () => {
      closed ??= (async () => {
        try {
          if (failure === undefined) await call("close", []);
        } finally {
          failure ??= new Error("the stores are closed");
          await worker.terminate();
        }
      })();
      return closed;
    },
  };
}

function withoutFeatureObjects(batch: CommitBatch): CommitBatch {
  if (!batch.decisions.some((d) => d.featuresText !== undefined)) return batch;
  return {
    ...batch,
    decisions: batch.decisions.map((d) => (d.featuresText === undefined ? d : { ...d, features: undefined })),
  };
}

import type { Worker } from "node:worker_threads";
import type { LinearRankState } from "../../engine/linear/linear-rank-state.js";
import { PendingCalls } from "../../stores/pending-calls.js";
import { startWorkerThread } from "../../stores/start-worker-thread.js";
import type { FromRankThread, RankAnswer, ToRankThread } from "./rank-thread-protocol.js";

/** A thread that failed this often is not started again (the main thread decides every rank). */
const MAX_STARTS = 3;

/** What the thread holds a copy of, per loop: the main thread's objects it was made from. */
interface Copy {
  settings: LinearRankState["settings"];
  options: LinearRankState["options"];
  pool: LinearRankState["pool"];
}

/**
 * A worker thread that parses, checks and decides Personalizer rank bodies (rank-thread-worker.ts),
 * so the main thread keeps only HTTP, the log write and the answer: a rank's parse, feature
 * hashing and pool scoring were about half of its main-thread time, while the second core sat
 * mostly idle. The thread decides from copies of each loop's settings, model options and pool,
 * sent ahead of a rank whenever the main thread's objects changed (the pool: a copy of its
 * weights, about 128 KB at d = 256, once per redraw); the engine refuses a decision whose settings
 * went stale meanwhile (StaleLinearState), and the caller decides it again.
 *
 * The thread starts on first use; until it is ready, and after it fails, ready() is false and
 * ranks are decided on the main thread. A rank in flight when the thread dies is answered
 * "declined", so it is decided there too.
 */
export class RankThread {
  #worker: Worker | undefined;
  #ready = false;
  #starts = 0;
  #closed = false;
  #next = 1;
  readonly #pending = new PendingCalls<(answer: RankAnswer) => void>();
  readonly #copies = new Map<string, Copy>();
  /** Messages waiting to be posted together (see #post), with the pools' buffers to move. */
  #batch: ToRankThread[] = [];
  #transfer: ArrayBuffer[] = [];

  /**
   * @param onError told when the thread fails (it is started again, at most MAX_STARTS times in
   * all) or a rank fails on it with an error that is not a BanditryError
   */
  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  /** Answers so far, by kind (tests and stats). */
  readonly counts = { ranked: 0, refused: 0, declined: 0 };
  #whenReady: (() => void)[] = [];

  /** Resolves once ranks go to the thread (true), or it failed to start (false). */
  whenReady(): Promise<boolean> {
    if (this.ready()) return Promise.resolve(true);
    if (this.#worker === undefined) return Promise.resolve(false);
    return new Promise((resolve) => this.#whenReady.push(() => resolve(this.#ready)));
  }

  /** Whether ranks can go to the thread now; starts it when it is not running. */
  ready(): boolean {
    if (this.#worker === undefined && !this.#closed && this.#starts < MAX_STARTS) this.#start();
    return this.#ready;
  }

  /** Ranks `text` (a rank body) for `loopId` from `state` (its seed included). */
  rank(loopId: string, state: LinearRankState, text: string): Promise<RankAnswer> {
    const worker = this.#worker;
    const id = this.#next++;
    if (worker === undefined || !this.#ready) return Promise.resolve({ t: "declined", id, reason: "failed" });
    this.#sync(loopId, state);
    return new Promise((resolve) => {
      this.#pending.add(id, resolve);
      this.#post({ t: "rank", id, loop: loopId, text, seed: state.seed });
    });
  }

  /**
   * Queues a message (a copy's buffer in `transfer` is moved, not copied). The messages of one
   * event-loop turn are posted together at its end (one post costs as much as a rank's parse),
   * whether or not the thread is still working on earlier ones: holding a batch back until the
   * thread answered made both threads take turns on whole batches (14 ranks on average), so the
   * main thread waited idle for a third of the time; posted at once, the thread's queue holds them.
   */
  #post(message: ToRankThread, transfer?: ArrayBuffer): void {
    if (this.#batch.length === 0) setImmediate(() => this.#flush());
    this.#batch.push(message);
    if (transfer !== undefined) this.#transfer.push(transfer);
  }

  #flush(): void {
    const worker = this.#worker;
    if (this.#batch.length === 0 || worker === undefined) return;
    const batch = this.#batch;
    const transfer = this.#transfer;
    this.#batch = [];
    this.#transfer = [];
    worker.postMessage(batch, transfer);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#stopped();
    if (worker !== undefined) await worker.terminate();
  }

  /** Sends the loop's settings and pool ahead of the rank when the thread's copies are not of these objects. */
  #sync(loopId: string, state: LinearRankState): void {
    const copy = this.#copies.get(loopId);
    if (copy === undefined || copy.settings !== state.settings || copy.options !== state.options) {
      this.#post({ t: "state", loop: loopId, settings: state.settings, options: { ...state.options } });
    }
    const pool = state.pool;
    if (copy === undefined || copy.pool !== pool || copy.options !== state.options) {
      if (pool === undefined) this.#post({ t: "pool", loop: loopId, pool: null });
      else {
        const weights = pool.weightsCopy();
        const { size, dimension, seed, version } = pool;
        const message: ToRankThread = { t: "pool", loop: loopId, pool: { size, dimension, seed, version, weights } };
        this.#post(message, weights.buffer as ArrayBuffer);
      }
    }
    this.#copies.set(loopId, { settings: state.settings, options: state.options, pool });
  }

  #start(): void {
    this.#starts++;
    const worker = startWorkerThread(import.meta.url, "rank-thread-worker", null);
    this.#worker = worker;
    worker.unref(); // a server's rank thread never holds the process open
    worker.on("message", (m: FromRankThread) => {
      if (m.t === "ready") {
        if (this.#worker === worker) this.#ready = true;
        this.#wake();
        return;
      }
      for (const a of m.answers) {
        this.counts[a.t]++;
        // a bug on the thread: the rank is decided on the main thread, and the failure is told
        if (a.t === "declined" && a.detail !== undefined)
          this.onError(new Error(`a rank failed on the rank thread: ${a.detail}`));
        this.#pending.take(a.id)?.(a);
      }
    });
    const gone = (error?: unknown) => {
      if (this.#worker !== worker) return;
      this.#stopped();
      if (!this.#closed) this.onError(error ?? new Error("the rank thread exited"));
    };
    worker.on("error", gone);
    worker.on("exit", () => gone());
  }

  /** The thread is gone: ranks in flight are declined (decided on the main thread), copies forgotten. */
  #stopped(): void {
    this.#worker = undefined;
    this.#ready = false;
    this.#copies.clear();
    this.#batch = [];
    this.#transfer = [];
    for (const [id, resolve] of this.#pending.takeAll()) {
      this.counts.declined++;
      resolve({ t: "declined", id, reason: "failed" });
    }
    this.#wake();
  }

  #wake(): void {
    const waiting = this.#whenReady;
    this.#whenReady = [];
    for (const w of waiting) w();
  }
}

import { startWorkerThread } from "../start-worker-thread.js";

export interface CheckpointerData {
  /** The database file (in WAL mode already). */
  file: string;
  /** How often the frames committed since are copied back (ms). */
  intervalMs: number;
  /** A WAL this long (frames) is to be rewound: the writer is asked to finish the checkpoint. */
  restartFrames: number;
}

/** What the thread is started with: the settings and the flag it raises (see takeFinishRequest). */
export interface CheckpointerThreadData extends CheckpointerData {
  /** Int32Array over it: [0] = 1 when the writer should finish a checkpoint. */
  finish: SharedArrayBuffer;
}

export interface SqliteCheckpointer {
  /**
   * True once after the thread asked (the WAL is long and nearly all copied back): the writer
   * should then run a PASSIVE checkpoint between two of its transactions. It copies the last
   * few frames, and the writer's next transaction rewinds the WAL. A shared flag, not a message:
   * it must reach a writer whose commits never yield to the event loop.
   */
  takeFinishRequest(): boolean;
  /** Asks again (the writer's checkpoint found the thread busy). */
  requestFinish(): void;
  /** Stops the thread and closes its connection (before the writer's own close, which then finishes the WAL). */
  stop(): Promise<void>;
}

/**
 * Checkpoints in a thread of their own. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses the threshold: with 10,000 pages that one commit took 83–92 ms (every group-committed
 * request in it waited as long), and copying pages back cost the writer half of its COMMIT time
 * (measured: 3.3 → 1.7 µs per decision row, 7.9 → 5.8 µs per row in all). Here the writer
 * (wal_autocheckpoint = 0) only appends to the WAL, and this thread copies the pages back on
 * the other core. Durability is the WAL's: nothing acknowledged waits for a checkpoint.
 * The thread copies often, in small steps (see open-sqlite.ts): copying once a second let batch
 * reward ingestion grow the WAL to ~90,000 frames between copies, at 14–18 instead of 9 µs of
 * CPU per reward.
 */
export async function startSqliteCheckpointer(
  data: CheckpointerData,
  /** Called once if the thread ends without stop() (the writer should checkpoint again itself). */
  onError: (error: Error) => void,
): Promise<SqliteCheckpointer> {
  const finish = new SharedArrayBuffer(4);
  const flag = new Int32Array(finish);
  const threadData: CheckpointerThreadData = { ...data, finish };
  const worker = startWorkerThread(import.meta.url, "sqlite-checkpointer-thread", threadData);
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    worker.once("message", () => resolve());
    worker.once("error", reject);
    void exited.then(() => reject(new Error("the SQLite checkpointer thread exited before it was ready")));
  });
  let stopped: Promise<void> | undefined;
  let failure: Error | undefined;
  worker.on("error", (e) => {
    failure = e;
  });
  // a thread that ends without being stopped (after an error, it exits too) is reported once
  void exited.then(() => {
    if (stopped === undefined) onError(failure ?? new Error("the SQLite checkpointer thread exited"));
  });
  // a forgotten store must not keep the process alive, as an in-thread connection would not
  worker.unref();
  return {
    takeFinishRequest: () => Atomics.exchange(flag, 0, 0) === 1,
    requestFinish: () => {
      Atomics.store(flag, 0, 1);
    },
    stop() {
      stopped ??= (async () => {
        worker.ref(); // awaited: the exit must keep the process alive until it comes
        worker.postMessage("stop");
        await exited;
      })();
      return stopped;
    },
  };
}

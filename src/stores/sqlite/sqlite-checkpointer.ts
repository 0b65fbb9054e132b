import { startWorkerThread } from "../start-worker-thread.js";

export interface CheckpointerData {
  /** The database file (in WAL mode already). */
  file: string;
  /** How often the WAL is copied back (ms). */
  intervalMs: number;
  /** A WAL this long (frames) is rewound by a RESTART checkpoint. */
  restartFrames: number;
  busyTimeoutMs: number;
}

export interface SqliteCheckpointer {
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
 */
export async function startSqliteCheckpointer(
  data: CheckpointerData,
  /** Called once if the thread ends without stop() (the writer should checkpoint again itself). */
  onError: (error: Error) => void,
): Promise<SqliteCheckpointer> {
  const worker = startWorkerThread(import.meta.url, "sqlite-checkpointer-thread", data);
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

/**
 * The thread behind sqlite-checkpointer.ts: its own connection to the database copies the WAL's
 * pages back into the database file, so the writer's COMMITs never do it (see there).
 */
import { parentPort, workerData } from "node:worker_threads";
import SqliteDatabase from "better-sqlite3";
import type { CheckpointerData } from "./sqlite-checkpointer.js";

const port = parentPort!;
const data = workerData as CheckpointerData;
const db = new SqliteDatabase(data.file);
// A RESTART checkpoint waits for the writer's transaction in progress (milliseconds).
db.pragma(`busy_timeout = ${Math.trunc(data.busyTimeoutMs)}`);

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

function checkpoint(mode: "PASSIVE" | "RESTART"): CheckpointRow {
  return (db.pragma(`wal_checkpoint(${mode})`) as CheckpointRow[])[0]!;
}

function tick(): void {
  try {
    // PASSIVE never blocks the writer; it copies the frames committed so far
    const passive = checkpoint("PASSIVE");
    // Under steady writes the WAL is never fully copied at the moment a writer starts, so the
    // writer never rewinds it: past restartFrames, RESTART holds writers off for the last few
    // frames (most are copied already), and the next writer starts the WAL from its beginning.
    if (passive.log >= data.restartFrames) checkpoint("RESTART");
  } catch (e) {
    // SQLITE_BUSY: a RESTART that waited too long; the next tick tries again
    if ((e as { code?: string }).code !== "SQLITE_BUSY") throw e;
  }
}

const timer = setInterval(tick, data.intervalMs);
port.on("message", (message: string) => {
  if (message !== "stop") return;
  clearInterval(timer);
  db.close();
  port.close();
});
port.postMessage("ready");

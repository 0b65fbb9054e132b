/**
 * The thread behind sqlite-checkpointer.ts: its own connection to the database copies the WAL's
 * pages back into the database file, so the writer's COMMITs never do it (see there).
 */
import { parentPort, workerData } from "node:worker_threads";
import SqliteDatabase from "better-sqlite3";
import type { CheckpointerThreadData } from "./sqlite-checkpointer.js";

const port = parentPort!;
const data = workerData as CheckpointerThreadData;
const finish = new Int32Array(data.finish);
const db = new SqliteDatabase(data.file);

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

function checkpoint(): CheckpointRow {
  return (db.pragma("wal_checkpoint(PASSIVE)") as CheckpointRow[])[0]!;
}

function tick(): void {
  // PASSIVE never blocks the writer; it copies the frames committed since the last tick (none: no sync)
  if (checkpoint().log < data.restartFrames) return;
  // Under steady writes the WAL is never fully copied at the moment the writer starts a
  // transaction, so the writer never rewinds it: past restartFrames, copy once more (only what
  // came meanwhile) and ask the writer to copy the last few frames between two of its own
  // transactions, which lets its next one start the WAL from the beginning.
  checkpoint();
  Atomics.store(finish, 0, 1);
}

const timer = setInterval(tick, data.intervalMs);
port.on("message", (message: string) => {
  if (message !== "stop") return;
  clearInterval(timer);
  db.close();
  port.close();
});
port.postMessage("ready");

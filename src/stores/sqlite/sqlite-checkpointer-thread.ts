/**
 * The thread behind sqlite-checkpointer.ts: its own connection to the database copies the WAL's
 * pages back into the database file, so the writer's COMMITs never do it (see there).
 */
import { closeSync, openSync, readSync } from "node:fs";
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

/**
 * The WAL's length and how much of it is copied back, read from the wal-index (the -shm file,
 * native byte order; sqlite.org/walformat.html): mxFrame at byte 16 of the header, nBackfill at
 * byte 96. Reading it costs a read of 100 bytes; a checkpoint call, locks and syncs.
 */
const shm = (() => {
  try {
    return openSync(`${data.file}-shm`, "r");
  } catch {
    return undefined;
  }
})();
const header = Buffer.alloc(100);
const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function walState(): { frames: number; copied: number } | undefined {
  if (shm === undefined || readSync(shm, header, 0, 100, 0) < 100) return undefined;
  const u32 = (at: number) => (le ? header.readUInt32LE(at) : header.readUInt32BE(at));
  return { frames: u32(16), copied: u32(96) };
}

let copiedAt = Date.now();
function tick(): void {
  const state = walState();
  if (state !== undefined) {
    const uncopied = state.frames - state.copied;
    // copy in chunks (a page rewritten by many commits is copied once per chunk), and at least every second
    if (uncopied <= 0 || (uncopied < data.copyFrames && Date.now() - copiedAt < data.maxDelayMs)) return;
  }
  copiedAt = Date.now();
  // PASSIVE never blocks the writer; it copies the frames committed so far
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
  if (shm !== undefined) closeSync(shm);
  db.close();
  port.close();
});
port.postMessage("ready");

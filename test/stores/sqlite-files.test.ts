import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import { createStores } from "../../src/stores/create-stores.js";
import { openSqlite } from "../../src/stores/sqlite/open-sqlite.js";
import { startSqliteCheckpointer } from "../../src/stores/sqlite/sqlite-checkpointer.js";
import { tempDataDir } from "../helpers/sqlite.js";

const run = promisify(execFile);

describe("sqlite stores on disk", () => {
  it("creates <dataDir>/banditry.sqlite (and the directory) in WAL mode, synchronous NORMAL by default", async () => {
    const tmp = await tempDataDir();
    try {
      const dataDir = join(tmp.dir, "nested", "data");
      const stores = await createStores({ kind: "sqlite", dataDir });
      await stores.migrate();
      await stores.close();
      const file = join(dataDir, "banditry.sqlite");
      assert.ok(existsSync(file));
      const db = new SqliteDatabase(file, { readonly: true });
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
      db.close();
      // synchronous is a setting of each connection: read it on the one the stores open
      for (const [asked, level] of [
        [undefined, 1],
        ["NORMAL", 1],
        ["FULL", 2],
      ] as const) {
        const kysely = await openSqlite({ dataDir, synchronous: asked });
        const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(kysely);
        assert.equal(rows[0]?.synchronous, level, String(asked));
        const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(kysely);
        assert.ok((busy.rows[0]?.timeout ?? 0) > 0, "a busy timeout is set");
        const checkpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(kysely);
        assert.equal(checkpoint.rows[0]?.wal_autocheckpoint, 10_000, "checkpoints every 10,000 pages");
        await kysely.destroy();
      }
    } finally {
      await tmp.remove();
    }
  });

  it("background checkpoints: the writer never checkpoints, a thread copies the WAL back, close leaves no WAL", async () => {
    const tmp = await tempDataDir();
    try {
      const kysely = await openSqlite({
        dataDir: tmp.dir,
        backgroundCheckpoints: true,
        checkpointIntervalMs: 50,
        checkpointRestartFrames: 100_000,
      });
      const checkpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(kysely);
      assert.equal(checkpoint.rows[0]?.wal_autocheckpoint, 0, "the writer's COMMITs do not checkpoint");
      await sql`create table t (id integer primary key, v text)`.execute(kysely);
      for (let i = 0; i < 200; i++) await sql`insert into t (v) values (${"x".repeat(2000)})`.execute(kysely);
      const file = join(tmp.dir, "banditry.sqlite");
      // another connection's PASSIVE checkpoint finds every frame copied back already
      const probe = new SqliteDatabase(file);
      let row: { log: number; checkpointed: number } | undefined;
      for (let tries = 0; tries < 100; tries++) {
        await new Promise((r) => setTimeout(r, 20));
        row = (probe.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[])[0];
        if (row !== undefined && row.log > 0 && row.checkpointed === row.log) break;
      }
      probe.close();
      assert.ok(row !== undefined && row.log >= 200 && row.checkpointed === row.log, JSON.stringify(row));
      await kysely.destroy();
      assert.equal(existsSync(`${file}-wal`), false, "the last connection's close removed the WAL");
      const reopened = new SqliteDatabase(file, { readonly: true });
      assert.equal((reopened.prepare("select count(*) as n from t").get() as { n: number }).n, 200);
      reopened.close();
    } finally {
      await tmp.remove();
    }
  });

  it("background checkpoints: under steady commits, a long WAL is rewound (the writer finishes the checkpoint)", async () => {
    const tmp = await tempDataDir();
    try {
      const kysely = await openSqlite({
        dataDir: tmp.dir,
        backgroundCheckpoints: true,
        checkpointIntervalMs: 20,
        checkpointRestartFrames: 50,
      });
      await sql`create table t (id integer primary key, v text)`.execute(kysely);
      const started = Date.now();
      let commits = 0;
      while (Date.now() - started < 600) {
        // every commit appends at least one 4 KiB frame (a 3,000-byte row gets a page of its own)
        await kysely.transaction().execute((tx) => sql`insert into t (v) values (${"x".repeat(3000)})`.execute(tx));
        commits++;
      }
      const probe = new SqliteDatabase(join(tmp.dir, "banditry.sqlite"));
      const [row] = probe.pragma("wal_checkpoint(PASSIVE)") as { log: number }[];
      probe.close();
      assert.ok(commits > 150, `${commits} commits`);
      assert.ok(
        row !== undefined && row.log < commits,
        `the WAL holds ${row?.log} frames after ${commits} commits: rewound`,
      );
      await kysely.destroy();
    } finally {
      await tmp.remove();
    }
  });

  it("a checkpointer thread that cannot open its database fails the start with the reason", async () => {
    const tmp = await tempDataDir();
    try {
      await assert.rejects(
        startSqliteCheckpointer(
          {
            file: join(tmp.dir, "missing", "x.sqlite"),
            intervalMs: 50,
            restartFrames: 100,
          },
          () => assert.fail("not a failure after the start"),
        ),
        /directory does not exist/,
      );
    } finally {
      await tmp.remove();
    }
  });

  it("two processes migrating and committing earliest rewards on one file: each event counted once", async () => {
    const tmp = await tempDataDir();
    try {
      const n = 300;
      const child = (order: string) =>
        run(
          process.execPath,
          ["--import", "tsx", new URL("./sqlite-process.ts", import.meta.url).pathname, tmp.dir, order, String(n)],
          { encoding: "utf8" },
        ).then(({ stdout }) => JSON.parse(stdout) as { inserted: number; applied: number; duplicate: number });
      const [a, b] = await Promise.all([child("forward"), child("backward")]);
      assert.deepEqual([a.inserted + b.inserted, a.applied + b.applied, a.duplicate + b.duplicate], [n, n, n]);

      const stores = await createStores({ kind: "sqlite", dataDir: tmp.dir });
      const rows = (await stores.eventStore.loadPosteriors("shared")).filter((r) => r.segment === "*");
      await stores.close();
      assert.deepEqual(
        [rows[0]?.pulls, rows[0]?.rewards, rows[0]?.n, rows[0]?.s1, rows[0]?.s2],
        [n, n, n, n / 2, n / 4],
      );
    } finally {
      await tmp.remove();
    }
  });
});

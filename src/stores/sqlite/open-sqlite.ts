import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  Kysely,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";
import type { Database } from "../database.js";
import { type CheckpointerData, type SqliteCheckpointer, startSqliteCheckpointer } from "./sqlite-checkpointer.js";

export interface SqliteOptions {
  dataDir: string;
  /**
   * NORMAL (default) survives kill -9 and every other process crash: in WAL mode a COMMIT has
   * written its frames to the WAL file (the kernel's page cache) before it returns, and a restarted
   * process reads them back. Only an OS crash or power loss can lose the last commits. FULL also
   * fsyncs the WAL at every commit, so an acknowledged commit survives a power cut too, at the
   * price of one fsync per group commit (measured: about a fifth of the decide route's CPU time).
   */
  synchronous?: "NORMAL" | "FULL";
  /** How long a writer waits for another process's write lock (ms). */
  busyTimeoutMs?: number;
  /**
   * Copy the WAL back into the database in a thread of its own (sqlite-checkpointer.ts) instead
   * of inside the COMMIT that crosses SQLite's threshold (default false here, for short-lived
   * connections such as the CLI's; the server's config turns it on).
   */
  backgroundCheckpoints?: boolean;
  /** Background checkpoints: how often the WAL is copied back (ms, default 25). */
  checkpointIntervalMs?: number;
  /** Background checkpoints: a WAL this long (frames) is rewound (default 4,000). */
  checkpointRestartFrames?: number;
}

export const SQLITE_FILE_NAME = "banditry.sqlite";

const AUTO_CHECKPOINT_PAGES = 10_000;
/**
 * Background checkpoints: every 25 ms the frames committed since are copied back (a tick with
 * none costs a lock and no sync); a WAL of 4,000 frames (16 MiB) is rewound. Copying once a
 * second instead let batch reward ingestion grow the WAL to ~90,000 frames between copies, and
 * cost 14–18 instead of 9 µs of CPU per reward.
 */
const CHECKPOINT_INTERVAL_MS = 25;
const CHECKPOINT_RESTART_FRAMES = 4000;

/**
 * Settings of the connection that trade memory for speed, none for durability (measured with
 * random event ids, 50-row commits, 120k rows: checkpoints every 10,000 pages instead of 1,000
 * cut the time per inserted decision by about a third; a page written by several commits is
 * copied back to the database once per checkpoint instead of each time).
 */
const PERFORMANCE_PRAGMAS = [
  // the hot B-tree pages (decisions by event id, rewards, posteriors) stay in the process (64 MiB)
  "cache_size = -65536",
  "temp_store = MEMORY",
  `wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`,
  // after a checkpoint, the WAL file is cut back to 64 MiB instead of staying at its largest size
  "journal_size_limit = 67108864",
];

/**
 * Every transaction takes the write lock at BEGIN: a writer never fails upgrading a read lock.
 * With background checkpoints, a commit is followed by the writer's own short checkpoint when the
 * checkpointer asks for it (see sqlite-checkpointer.ts). On destroy, the checkpointer stops before
 * the connection closes (the last connection's close checkpoints the whole WAL and removes it).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  readonly #background: BackgroundCheckpoints | undefined;
  constructor(config: SqliteDialectConfig, background: BackgroundCheckpoints | undefined) {
    super(config);
    this.#background = background;
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    this.#background?.afterCommit();
  }
  override async destroy(): Promise<void> {
    await this.#background?.checkpointer.stop();
    await super.destroy();
  }
}

/** The writer's side of background checkpoints. */
interface BackgroundCheckpoints {
  checkpointer: SqliteCheckpointer;
  afterCommit(): void;
}

/**
 * Starts the checkpointer of `database` (whose own automatic checkpoints it turns off). Between
 * two transactions, when asked, the writer copies the last frames itself: its PASSIVE checkpoint
 * then completes (no other writer can append meanwhile), so its next transaction rewinds the WAL.
 */
async function startBackgroundCheckpoints(
  database: SqliteDatabase.Database,
  data: CheckpointerData,
): Promise<BackgroundCheckpoints> {
  const checkpointer = await startSqliteCheckpointer(
    data,
    // a failed checkpointer hands the job back to the writer's COMMITs
    () => database.open && database.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`),
  );
  database.pragma("wal_autocheckpoint = 0");
  return {
    checkpointer,
    afterCommit() {
      if (!database.open || database.inTransaction || !checkpointer.takeFinishRequest()) return;
      // busy = 1: the thread is copying right now; the next commit tries again
      const [row] = database.pragma("wal_checkpoint(PASSIVE)") as { busy: number }[];
      if (row?.busy === 1) checkpointer.requestFinish();
    },
  };
}

/** SQLite runs DDL inside transactions, so the migrator may wrap each run in one. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Prepared statements kept per SQL text; beyond this many, the oldest is dropped. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely's driver sees it, with prepared statements reused: the driver calls
 * prepare() for every query, and parsing and planning SQL again costs more than running a small
 * statement. The hot statements have constant text (rows travel as one JSON parameter), so a
 * small cache catches them all. A statement still iterating (a stream) is never handed out twice.
 */
function withStatementCache(database: SqliteDatabase.Database): SqliteDialectConfig["database"] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached !== undefined && !cached.busy) return cached;
      const statement = database.prepare(sql);
      if (cached === undefined) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  } as SqliteDialectConfig["database"];
}

class BanditrySqliteDialect extends SqliteDialect {
  readonly #database: SqliteDialectConfig["database"];
  readonly #background: BackgroundCheckpoints | undefined;
  constructor(database: SqliteDatabase.Database, background: BackgroundCheckpoints | undefined) {
    const cached = withStatementCache(database);
    super({ database: cached });
    this.#database = cached;
    this.#background = background;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database }, this.#background);
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** Opens (creating the directory and file when needed) `<dataDir>/banditry.sqlite`. */
export async function openSqlite(options: SqliteOptions): Promise<Kysely<Database>> {
  await mkdir(options.dataDir, { recursive: true });
  const file = join(options.dataDir, SQLITE_FILE_NAME);
  const database = new SqliteDatabase(file);
  let background: BackgroundCheckpoints | undefined;
  try {
    database.pragma("journal_mode = WAL");
    database.pragma(`synchronous = ${options.synchronous === "FULL" ? "FULL" : "NORMAL"}`);
    for (const pragma of PERFORMANCE_PRAGMAS) database.pragma(pragma);
    database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    // only arms → experiments is declared; cheap, and catches an arm without experiment
    database.pragma("foreign_keys = ON");
    if (options.backgroundCheckpoints === true) {
      background = await startBackgroundCheckpoints(database, {
        file,
        intervalMs: options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS,
        restartFrames: options.checkpointRestartFrames ?? CHECKPOINT_RESTART_FRAMES,
      });
    }
  } catch (error) {
    await background?.checkpointer.stop();
    database.close();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new BanditrySqliteDialect(database, background) });
  rawDatabases.set(db, database);
  return db;
}

const rawDatabases = new WeakMap<Kysely<Database>, SqliteDatabase.Database>();

/**
 * The better-sqlite3 connection behind a Kysely instance from openSqlite, for the group commit's
 * row inserts (commit/sqlite-row-inserter.ts); undefined for any other Kysely.
 */
export function rawSqliteOf(db: Kysely<Database>): SqliteDatabase.Database | undefined {
  return rawDatabases.get(db);
}

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

export interface SqliteOptions {
  dataDir: string;
  /**
   * FULL (default) fsyncs the WAL at every commit: an acknowledged commit survives a power cut.
   * NORMAL survives kill -9 too (the WAL write has reached the kernel before COMMIT returns; only
   * an OS crash or power loss can lose the last commits) and saves one fsync per commit.
   */
  synchronous?: "NORMAL" | "FULL";
  /** How long a writer waits for another process's write lock (ms). */
  busyTimeoutMs?: number;
}

export const SQLITE_FILE_NAME = "banditry.sqlite";

/** Every transaction takes the write lock at BEGIN: a writer never fails upgrading a read lock. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
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
  constructor(database: SqliteDatabase.Database) {
    const cached = withStatementCache(database);
    super({ database: cached });
    this.#database = cached;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** Opens (creating the directory and file when needed) `<dataDir>/banditry.sqlite`. */
export async function openSqlite(options: SqliteOptions): Promise<Kysely<Database>> {
  await mkdir(options.dataDir, { recursive: true });
  const database = new SqliteDatabase(join(options.dataDir, SQLITE_FILE_NAME));
  try {
    database.pragma("journal_mode = WAL");
    database.pragma(`synchronous = ${options.synchronous === "NORMAL" ? "NORMAL" : "FULL"}`);
    database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    // only arms → experiments is declared; cheap, and catches an arm without experiment
    database.pragma("foreign_keys = ON");
  } catch (error) {
    database.close();
    throw error;
  }
  return new Kysely<Database>({ dialect: new BanditrySqliteDialect(database) });
}

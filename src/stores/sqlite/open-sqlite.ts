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

class BanditrySqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase.Database;
  constructor(database: SqliteDatabase.Database) {
    super({ database });
    this.#database = database;
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

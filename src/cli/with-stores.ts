import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "../config.js";
import { createStores } from "../stores/create-stores.js";
import { SQLITE_FILE_NAME } from "../stores/sqlite/open-sqlite.js";
import type { Stores } from "../stores/stores.js";

/** Where the data is, for messages: never the PostgreSQL URL's credentials. */
export function describeStore(config: Config): string {
  if (config.databaseUrl === null) return `SQLite database ${join(resolve(config.dataDir), SQLITE_FILE_NAME)}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL database ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
}

export interface WithStoresOptions {
  /**
   * Refuse a data directory without a database instead of creating one (commands that only
   * read: a mistyped --data-dir should not silently show an empty, new database).
   */
  mustExist?: boolean;
}

/**
 * Opens the stores of the configuration, applies pending migrations (idempotent, as `serve`
 * does at start), runs work and closes them, whatever happens.
 */
export async function withStores<T>(
  config: Config,
  work: (stores: Stores) => Promise<T>,
  options: WithStoresOptions = {},
): Promise<T> {
  if (options.mustExist && config.databaseUrl === null && !existsSync(join(config.dataDir, SQLITE_FILE_NAME))) {
    throw new Error(
      `no banditry database in ${resolve(config.dataDir)} (check --data-dir, or start the server once to create it)`,
    );
  }
  const stores = await createStores(
    config.databaseUrl === null
      ? { kind: "sqlite", dataDir: config.dataDir, synchronous: config.sqliteSynchronous }
      : { kind: "postgres", url: config.databaseUrl, poolSize: 2 },
  );
  try {
    await stores.migrate();
    return await work(stores);
  } finally {
    await stores.close();
  }
}

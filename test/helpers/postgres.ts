import { createHash, randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { hostname } from "node:os";
import pg from "pg";
import { createStores } from "../../src/stores/create-stores.js";
import type { Stores } from "../../src/stores/stores.js";

/**
 * Real PostgreSQL for tests, the way Unleash does it: the schema is migrated once into a
 * template database, and every test file clones it (CREATE DATABASE … TEMPLATE …, a file copy
 * in milliseconds) and drops its clone afterwards. The template's name carries a hash of the
 * migration sources, so it is built once and rebuilt only when a migration changes; building
 * happens under an advisory lock, so test files starting in parallel processes wait for one build.
 */
export const ADMIN_URL = process.env.BANDITRY_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const LOCK_KEY = 7_311_852_004; // pg_advisory_lock key of the template build
// clones are named banditry_t_<host>_<pid>_<random>: a leftover is recognised as this host's
// and dropped once its process is gone, never another machine's on a shared server
const HOST = createHash("sha256").update(hostname()).digest("hex").slice(0, 6);
const MIGRATION_SOURCES = [
  new URL("../../src/stores/migrations/", import.meta.url),
  new URL("../../src/stores/migrate-to-latest.ts", import.meta.url),
];

function urlFor(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * undefined when PostgreSQL answers; otherwise the reason to skip. Under CI=true an unreachable
 * database is an error, never a skip: CI must not pass without having run these tests.
 */
export async function postgresUnavailable(): Promise<string | undefined> {
  try {
    await withAdmin((c) => c.query("select 1"));
    return undefined;
  } catch (error) {
    const reason = `PostgreSQL unreachable at ${ADMIN_URL} (${(error as Error).message}); set BANDITRY_TEST_DATABASE_URL`;
    if (process.env.CI === "true") throw new Error(`${reason}. CI=true: the PostgreSQL tests must run, failing.`);
    return reason;
  }
}

async function migrationsHash(): Promise<string> {
  const hash = createHash("sha256");
  for (const source of MIGRATION_SOURCES) {
    if (source.pathname.endsWith("/")) {
      for (const name of (await readdir(source)).sort())
        hash.update(name).update(await readFile(new URL(name, source)));
    } else {
      hash.update(await readFile(source));
    }
  }
  return hash.digest("hex").slice(0, 12);
}

let template: Promise<string> | undefined;

/** The migrated template database's name, building it when it does not exist yet. */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const name = `banditry_tpl_${await migrationsHash()}`;
    await withAdmin(async (admin) => {
      await admin.query("select pg_advisory_lock($1)", [LOCK_KEY]);
      try {
        const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
        if (exists.rowCount === 0) {
          // built under another name and renamed: a crash mid-build never leaves a half template
          const building = `${name}_build`;
          await admin.query(`drop database if exists ${building} with (force)`);
          await admin.query(`create database ${building}`);
          const stores = await createStores({ kind: "postgres", url: urlFor(building), poolSize: 1 });
          try {
            await stores.migrate();
          } finally {
            await stores.close();
          }
          await admin.query(`alter database ${building} rename to ${name}`);
        }
        await dropLeftovers(admin, name);
      } finally {
        await admin.query("select pg_advisory_unlock($1)", [LOCK_KEY]);
      }
    });
    return name;
  })();
  return template;
}

/**
 * Clones of this host's test processes that died without cleaning up, and templates of older
 * migrations (without force: a template being cloned right now stays).
 */
async function dropLeftovers(admin: pg.Client, current: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "select datname from pg_database where datname like 'banditry\\_tpl\\_%' or datname like 'banditry\\_t\\_%'",
  );
  for (const { datname } of rows) {
    if (datname.startsWith("banditry_tpl_")) {
      if (datname !== current) await admin.query(`drop database if exists ${datname}`).catch(() => {});
      continue;
    }
    const pid = new RegExp(`^banditry_t_${HOST}_(\\d+)_`).exec(datname)?.[1];
    if (pid !== undefined && !processAlive(Number(pid))) {
      await admin.query(`drop database if exists ${datname} with (force)`).catch(() => {});
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A new database cloned from the migrated template (or empty), dropped by drop(). */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<{
  url: string;
  drop(): Promise<void>;
}> {
  const source = options.empty ? "template0" : await migratedTemplate();
  const name = `banditry_t_${HOST}_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withAdmin((admin) => admin.query(`create database ${name} template ${source}`));
  return {
    url: urlFor(name),
    drop: () => withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

/**
 * Stores on one cloned database for the whole test file (create() may be called per test; every
 * Stores has its own pool, so two of them are two "processes"); cleanup() closes them and drops it.
 */
export function postgresStores(): {
  create(): Promise<Stores>;
  cleanup(): Promise<void>;
} {
  let database: ReturnType<typeof createTestDatabase> | undefined;
  const opened: Stores[] = [];
  return {
    async create() {
      database ??= createTestDatabase();
      const stores = await createStores({ kind: "postgres", url: (await database).url, poolSize: 4 });
      opened.push(stores);
      await stores.migrate();
      return stores;
    },
    async cleanup() {
      for (const stores of opened.splice(0)) await stores.close();
      if (database !== undefined) await (await database).drop();
      database = undefined;
    },
  };
}

import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "../database.js";

export interface PostgresOptions {
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** int8 as a JS number: times are ms and counts stay far below 2^53; refuse silently wrong values. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} does not fit a JS number`);
  return value;
}

// per pool, not pg.types.setTypeParser: no global side effect on other pg users in the process
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID) return parseInt8;
    if (oid === NUMERIC_OID) return Number;
    // double precision (701) is parsed as a number by pg already
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function openPostgres(options: PostgresOptions): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, types });
  // An idle client that loses its connection emits on the pool; without a listener that would
  // crash the process. The pool drops that client; the next query reports its own error.
  pool.on("error", () => {});
  // The hot statements look up batches of event ids (`event_id = any($1)`, 1,000 and more). With
  // the default random_page_cost (4, spinning disks) and a young or not yet analyzed decisions
  // table, the planner reads the whole table instead of probing the primary key: measured on
  // 90,000 decisions, 8 instead of 0.9 ms per 1,000 lookups, 18 instead of 8 ms per 1,000 claims.
  // 1.1 is the usual value for SSDs and cached data. Queued ahead of the client's first query.
  pool.on("connect", (client) => {
    client.query("set random_page_cost = 1.1").catch(() => {});
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

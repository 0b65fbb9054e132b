import { type Expression, type SqlBool, sql } from "kysely";

/**
 * The few places where the two dialects need different SQL. Everything else is plain Kysely.
 */
export interface SqlDialect {
  readonly kind: "sqlite" | "postgres";
  /** Bind parameters one statement may carry (SQLite 32766, PostgreSQL 65535), with a margin. */
  readonly maxParams: number;
  /** `column IN values` with ONE bind parameter, whatever the number of values. */
  inList(column: string, values: readonly string[]): Expression<SqlBool>;
  /** Whether a failed transaction may simply be run again (deadlock, serialization failure). */
  isRetryable(error: unknown): boolean;
  /** Row locks for read-modify-write (SQLite: the BEGIN IMMEDIATE transaction already excludes writers). */
  readonly lockRows: boolean;
}

export const sqliteDialect: SqlDialect = {
  kind: "sqlite",
  maxParams: 32_000,
  // json_each keeps the statement text constant and clear of SQLite's variable limit
  inList: (column, values) => sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`,
  isRetryable: () => false,
  lockRows: false,
};

const PG_RETRYABLE = new Set(["40P01", "40001"]);

export const postgresDialect: SqlDialect = {
  kind: "postgres",
  maxParams: 65_000,
  // pg sends a JS array as one text[] parameter
  inList: (column, values) => sql<SqlBool>`${sql.ref(column)} = any(${sql.val(values)})`,
  isRetryable: (error) =>
    typeof error === "object" && error !== null && PG_RETRYABLE.has(String((error as { code?: unknown }).code)),
  lockRows: true,
};

/** Rows per multi-row statement so that rows × columns stays under the parameter limit. */
export function rowsPerStatement(dialect: SqlDialect, columns: number): number {
  return Math.max(1, Math.floor(dialect.maxParams / columns));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

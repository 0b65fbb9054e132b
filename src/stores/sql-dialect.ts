import { type Expression, type SqlBool, sql } from "kysely";

export type ColumnType = "text" | "bigint" | "integer" | "double precision";
/** Column names and types of a row source, in the order of the values in each row. */
export type ColumnSpec = readonly (readonly [name: string, type: ColumnType])[];

/**
 * The few places where the two dialects need different SQL. Everything else is plain Kysely.
 */
export interface SqlDialect {
  readonly kind: "sqlite" | "postgres";
  /** `column IN values` with ONE bind parameter, whatever the number of values. */
  inList(column: string, values: readonly string[]): Expression<SqlBool>;
  /** Whether a failed transaction may simply be run again (deadlock, serialization failure). */
  isRetryable(error: unknown): boolean;
  /** Row locks for read-modify-write (SQLite: the BEGIN IMMEDIATE transaction already excludes writers). */
  readonly lockRows: boolean;
}

export const sqliteDialect: SqlDialect = {
  kind: "sqlite",
  // json_each keeps the statement text constant and clear of SQLite's variable limit
  inList: (column, values) =>
    sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`,
  isRetryable: () => false,
  lockRows: false,
};

const PG_RETRYABLE = new Set(["40P01", "40001"]);

export const postgresDialect: SqlDialect = {
  kind: "postgres",
  // pg sends a JS array as one text[] parameter
  inList: (column, values) => sql<SqlBool>`${sql.ref(column)} = any(${sql.val(values)})`,
  isRetryable: (error) =>
    typeof error === "object" && error !== null && PG_RETRYABLE.has(String((error as { code?: unknown }).code)),
  lockRows: true,
};

/** Rows per multi-row PostgreSQL statement: bounds the size of one statement's array parameters. */
export const ROWS_PER_STATEMENT = 5000;

/** The values of each object in the column order of spec (a multi-row statement's rows). */
export function rowValues<T extends object>(columns: ColumnSpec, objects: readonly T[]): unknown[][] {
  return objects.map((o) => columns.map(([name]) => (o as Record<string, unknown>)[name]));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

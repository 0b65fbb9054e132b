import { type Expression, type RawBuilder, type SqlBool, sql } from "kysely";

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
  /**
   * `select <columns> from <rows>` with the rows in a constant number of parameters, for multi-row
   * INSERTs and upserts: the statement text stays short and constant whatever the batch size
   * (cheap to parse, one cached prepared statement), and no parameter limit applies. SQLite: all
   * rows in ONE JSON parameter. PostgreSQL: one array parameter per column, `unnest`ed (measured:
   * about 40% less server time than parsing JSON per column per row). Numbers round-trip exactly on
   * both (JS prints the shortest repr; SQLite ≥ 3.53's JSON and PostgreSQL's float8in parse it back).
   */
  jsonRows(columns: ColumnSpec, rows: readonly (readonly unknown[])[]): RawBuilder<unknown>;
  /** Row locks for read-modify-write (SQLite: the BEGIN IMMEDIATE transaction already excludes writers). */
  readonly lockRows: boolean;
}

export const sqliteDialect: SqlDialect = {
  kind: "sqlite",
  // json_each keeps the statement text constant and clear of SQLite's variable limit
  inList: (column, values) =>
    sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`,
  isRetryable: () => false,
  // `where true`: after a FROM, SQLite would read a following ON CONFLICT as a join constraint
  jsonRows: (columns, rows) =>
    sql`select ${sql.join(
      columns.map(([name], i) => sql`j.value ->> ${sql.lit(i)} as ${sql.ref(name)}`),
    )} from json_each(${JSON.stringify(rows)}) as j where true`,
  lockRows: false,
};

const PG_RETRYABLE = new Set(["40P01", "40001"]);

export const postgresDialect: SqlDialect = {
  kind: "postgres",
  // pg sends a JS array as one text[] parameter
  inList: (column, values) => sql<SqlBool>`${sql.ref(column)} = any(${sql.val(values)})`,
  isRetryable: (error) =>
    typeof error === "object" && error !== null && PG_RETRYABLE.has(String((error as { code?: unknown }).code)),
  // pg sends each JS array as one array literal; `as j(<names>)` names unnest's output columns
  jsonRows: (columns, rows) =>
    sql`select * from unnest(${sql.join(
      columns.map(([, type], i) => sql`${sql.val(rows.map((r) => r[i]))}::${sql.raw(type)}[]`),
    )}) as j(${sql.join(columns.map(([name]) => sql.ref(name)))})`,
  lockRows: true,
};

/** Rows per multi-row statement: bounds the size of one statement's JSON parameter. */
export const ROWS_PER_STATEMENT = 5000;

/** The values of each object in the column order of spec, for jsonRows. */
export function rowValues<T extends object>(columns: ColumnSpec, objects: readonly T[]): unknown[][] {
  return objects.map((o) => columns.map(([name]) => (o as Record<string, unknown>)[name]));
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

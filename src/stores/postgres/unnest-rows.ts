import type { ColumnSpec } from "../sql-dialect.js";

/**
 * PostgreSQL's row source for multi-row INSERTs and upserts as constant SQL text, run as
 * precompiled queries (no Kysely query building per commit): `select * from unnest($n::type[],
 * …) as j(<names>)`, one array parameter per column from `firstParam` on. The text stays short and
 * constant whatever the batch size, no parameter limit applies, and it costs the server about 40%
 * less than parsing JSON per column per row (measured). pg sends each JS array as one array
 * literal; numbers round-trip exactly (JS prints the shortest repr, float8in parses it back).
 */
export function unnestRowsSql(columns: ColumnSpec, firstParam = 1): string {
  const arrays = columns.map(([, type], i) => `$${firstParam + i}::${type}[]`).join(", ");
  return `select * from unnest(${arrays}) as j(${quotedNames(columns)})`;
}

/** The columns' names, quoted and comma-separated (an insert's column list). */
export function quotedNames(columns: ColumnSpec): string {
  return columns.map(([name]) => `"${name}"`).join(", ");
}

/** The parameters of unnestRowsSql: one array per column, from rows whose values are in column order. */
export function unnestRowsParams(columns: ColumnSpec, rows: readonly (readonly unknown[])[]): unknown[][] {
  return columns.map((_, i) => rows.map((r) => r[i]));
}

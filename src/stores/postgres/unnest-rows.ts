import type { ColumnSpec } from "../sql-dialect.js";

/**
 * PostgreSQL's row source for multi-row statements as constant SQL text, for hot statements run
 * as precompiled queries (no Kysely query building per commit): `select * from unnest($n::type[],
 * …) as j(<names>)`, one array parameter per column from `firstParam` on. Same SQL as
 * postgresDialect.jsonRows builds.
 */
export function unnestRowsSql(columns: ColumnSpec, firstParam = 1): string {
  const arrays = columns.map(([, type], i) => `$${firstParam + i}::${type}[]`).join(", ");
  const names = columns.map(([name]) => `"${name}"`).join(", ");
  return `select * from unnest(${arrays}) as j(${names})`;
}

/** The parameters of unnestRowsSql: one array per column, from rows whose values are in column order. */
export function unnestRowsParams(columns: ColumnSpec, rows: readonly (readonly unknown[])[]): unknown[][] {
  return columns.map((_, i) => rows.map((r) => r[i]));
}

import type SqliteDatabase from "better-sqlite3";
import type { ColumnSpec } from "../sql-dialect.js";

/**
 * Multi-row INSERTs on SQLite as one cached single-row prepared statement run per row, inside the
 * caller's open transaction (the group commit's: Kysely holds the one connection meanwhile, so no
 * other statement can come between). Measured against `insert … select … from json_each(?)` for
 * 1,000 rewards: 2.6 instead of 4.4 µs per row, and no JSON to build and parse.
 */
export class SqliteRowInserter {
  readonly #database: SqliteDatabase.Database;
  readonly #statements = new Map<string, SqliteDatabase.Statement>();

  constructor(database: SqliteDatabase.Database) {
    this.#database = database;
  }

  /**
   * `insert into <table> (<columns>) values (?, …) <suffix>` for each row (values in column order);
   * per row, whether it was inserted (false when `on conflict … do nothing` skipped it).
   */
  insert(table: string, columns: ColumnSpec, rows: readonly (readonly unknown[])[], suffix = ""): boolean[] {
    const statement = this.#statement(table, columns, suffix);
    const inserted: boolean[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) inserted[i] = statement.run(rows[i] as unknown[]).changes > 0;
    return inserted;
  }

  #statement(table: string, columns: ColumnSpec, suffix: string): SqliteDatabase.Statement {
    const key = `${table}\u0000${suffix}\u0000${columns.map(([name]) => name).join(",")}`;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      const names = columns.map(([name]) => `"${name}"`).join(", ");
      const marks = columns.map(() => "?").join(", ");
      statement = this.#database.prepare(`insert into "${table}" (${names}) values (${marks}) ${suffix}`);
      this.#statements.set(key, statement);
    }
    return statement;
  }
}

import type SqliteDatabase from "better-sqlite3";

/**
 * Hot read and update statements on SQLite's own connection, prepared once and run in raw mode
 * (rows as arrays): no Kysely query building, no row objects. Runs between Kysely's statements
 * on the one connection, so inside a Kysely transaction it is part of that transaction.
 */
export class SqliteRawStatements {
  readonly #database: SqliteDatabase.Database;
  readonly #statements = new Map<string, SqliteDatabase.Statement>();

  constructor(database: SqliteDatabase.Database) {
    this.#database = database;
  }

  /** The rows of `sql` (which returns rows: a select, or a statement with returning) as arrays. */
  all(sql: string, params: readonly unknown[]): unknown[][] {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#database.prepare(sql).raw(true);
      this.#statements.set(sql, statement);
    }
    return statement.all(...params) as unknown[][];
  }
}

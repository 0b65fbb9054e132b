import { type Kysely, type MigrationProvider, Migrator } from "kysely";
import { BanditryError } from "../domain/errors.js";
import type { Database } from "./database.js";
import { migrations } from "./migrations/migrations.js";

/**
 * Applies pending migrations. Kysely's migrator serialises concurrent runs: on PostgreSQL with
 * an advisory lock around one transaction; on SQLite each run is one BEGIN IMMEDIATE
 * transaction (see sqlite/open-sqlite.ts), so a second process waits and then finds nothing to do.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: "sqlite" | "postgres"): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: "banditry_migration",
    migrationLockTableName: "banditry_migration_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new BanditryError(
      "BANDITRY_INTERNAL",
      `database migration ${failed ?? "set-up"} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

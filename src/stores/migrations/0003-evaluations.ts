import { type Kysely, type Migration, sql } from "kysely";

/**
 * Offline evaluations: one row per evaluation. The record (request, status, results) is JSON
 * text; the columns beside it are what the store filters and orders by. heartbeat_at is the
 * last save of a running evaluation, so a run whose process died can be told from a live one.
 */
export function evaluationsSchema(dialect: "sqlite" | "postgres"): Migration {
  return { up: (db) => up(db, dialect === "postgres" ? sql`text collate "C"` : "text"), down };
}

async function up(db: Kysely<unknown>, key: "text" | ReturnType<typeof sql>): Promise<void> {
  await db.schema
    .createTable("evaluations")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("experiment_id", key, (c) => c.notNull())
    .addColumn("status", key, (c) => c.notNull())
    .addColumn("record", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("heartbeat_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("evaluations_experiment_created")
    .on("evaluations")
    .columns(["experiment_id", "created_at"])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("evaluations").execute();
}

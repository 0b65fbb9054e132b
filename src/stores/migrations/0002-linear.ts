import { type Kysely, type Migration, sql } from "kysely";

/**
 * Linear (contextual) experiments: a decision logs the features the model saw, a reward records
 * when it started to count (so every instance can tail the learning log in that order), and a
 * linear model's state is snapshotted so a restart replays only the tail of the log.
 */
export function linearSchema(dialect: "sqlite" | "postgres"): Migration {
  return { up: (db) => up(db, dialect === "postgres" ? sql`text collate "C"` : "text"), down };
}

async function up(db: Kysely<unknown>, key: "text" | ReturnType<typeof sql>): Promise<void> {
  await db.schema.alterTable("decisions").addColumn("features", "text").execute();
  await db.schema.alterTable("rewards").addColumn("applied_at", "bigint").execute();
  // the learning log of one experiment, in the order rewards started to count
  await db.schema
    .createIndex("rewards_experiment_applied_at")
    .on("rewards")
    .columns(["experiment_id", "applied_at"])
    .where(sql.ref("applied_at"), "is not", null)
    .execute();
  await db.schema
    .createTable("linear_snapshots")
    .addColumn("experiment_id", key, (c) => c.primaryKey())
    /** JSON of the model (LinearThompsonJSON) and of the log position it includes. */
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("position", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("linear_snapshots").execute();
  await db.schema.dropIndex("rewards_experiment_applied_at").execute();
  await db.schema.alterTable("rewards").dropColumn("applied_at").execute();
  await db.schema.alterTable("decisions").dropColumn("features").execute();
}

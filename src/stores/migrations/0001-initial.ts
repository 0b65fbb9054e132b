import { type Kysely, type Migration, sql } from "kysely";

/**
 * The initial schema. Column types are the ones both dialects read the same way: text,
 * bigint (times in ms, counts), integer (booleans 0/1), double precision; JSON as text.
 * Identifiers (`key` columns) compare bytewise on both: SQLite's default; on PostgreSQL
 * `collate "C"`, so that orderings (export, keyset pages) agree across dialects and index
 * comparisons skip the locale. Hot tables (decisions, rewards, posteriors) carry no foreign keys:
 * a key check per row would slow the group commit, and on PostgreSQL every decision would lock
 * its experiment row.
 */
export function initialSchema(dialect: "sqlite" | "postgres"): Migration {
  return { up: (db) => up(db, dialect === "postgres" ? sql`text collate "C"` : "text"), down };
}

async function up(db: Kysely<unknown>, key: "text" | ReturnType<typeof sql>): Promise<void> {
  await db.schema
    .createTable("experiments")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("config", "text", (c) => c.notNull())
    .addColumn("decay_landmark", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("experiments_updated_at").on("experiments").column("updated_at").execute();

  await db.schema
    .createTable("arms")
    .addColumn("experiment_id", key, (c) => c.notNull().references("experiments.id"))
    .addColumn("id", key, (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("label", "text")
    .addColumn("value", "text")
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("arms_pk", ["experiment_id", "id"])
    .execute();

  await db.schema
    .createTable("decisions")
    .addColumn("event_id", key, (c) => c.primaryKey())
    .addColumn("experiment_id", key, (c) => c.notNull())
    .addColumn("segment", key, (c) => c.notNull())
    .addColumn("context", "text")
    .addColumn("unit_id", "text")
    .addColumn("arm_id", key, (c) => c.notNull())
    .addColumn("ranking", "text")
    .addColumn("propensity", "double precision")
    .addColumn("grp", key, (c) => c.notNull())
    .addColumn("seed", "bigint", (c) => c.notNull())
    .addColumn("activated", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("reward_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("default_due_at", "bigint")
    .execute();
  // export pages through one experiment's decisions in (created_at, event_id) order
  await db.schema
    .createIndex("decisions_experiment_created")
    .on("decisions")
    .columns(["experiment_id", "created_at", "event_id"])
    .execute();
  // partial: only decisions still waiting for a reward are in it
  await db.schema
    .createIndex("decisions_default_due_at")
    .on("decisions")
    .column("default_due_at")
    .where(sql.ref("default_due_at"), "is not", null)
    .execute();

  await db.schema
    .createTable("rewards")
    .addColumn("event_id", key, (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("experiment_id", key, (c) => c.notNull())
    .addColumn("value", "double precision", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("applied", "integer", (c) => c.notNull())
    .addColumn("n", "double precision", (c) => c.notNull())
    .addColumn("s1", "double precision", (c) => c.notNull())
    .addColumn("s2", "double precision", (c) => c.notNull())
    .addPrimaryKeyConstraint("rewards_pk", ["event_id", "seq"])
    .execute();
  // rescaleEvidence finds an experiment's stored (not yet applied) rewards
  await db.schema
    .createIndex("rewards_pending")
    .on("rewards")
    .column("experiment_id")
    .where(sql.ref("applied"), "=", 0)
    .execute();

  await db.schema
    .createTable("posteriors")
    .addColumn("experiment_id", key, (c) => c.notNull())
    .addColumn("segment", key, (c) => c.notNull())
    .addColumn("arm_id", key, (c) => c.notNull())
    .addColumn("pulls", "bigint", (c) => c.notNull())
    .addColumn("rewards", "bigint", (c) => c.notNull())
    .addColumn("reward_sum", "double precision", (c) => c.notNull())
    .addColumn("n", "double precision", (c) => c.notNull())
    .addColumn("s1", "double precision", (c) => c.notNull())
    .addColumn("s2", "double precision", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("posteriors_pk", ["experiment_id", "segment", "arm_id"])
    .execute();
  await db.schema.createIndex("posteriors_updated_at").on("posteriors").column("updated_at").execute();

  await db.schema
    .createTable("group_stats")
    .addColumn("experiment_id", key, (c) => c.notNull())
    .addColumn("grp", key, (c) => c.notNull())
    .addColumn("decisions", "bigint", (c) => c.notNull())
    .addColumn("rewards", "bigint", (c) => c.notNull())
    .addColumn("reward_sum", "double precision", (c) => c.notNull())
    .addColumn("reward_sum_sq", "double precision", (c) => c.notNull())
    .addPrimaryKeyConstraint("group_stats_pk", ["experiment_id", "grp"])
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("hash", key, (c) => c.notNull().unique())
    .addColumn("scopes", "text", (c) => c.notNull())
    .addColumn("experiment_id", key)
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["api_keys", "group_stats", "posteriors", "rewards", "decisions", "arms", "experiments"]) {
    await db.schema.dropTable(table).execute();
  }
}

import { type Kysely, type Migration, sql } from "kysely";

/**
 * A linear decision's action features, stored once per experiment (FeatureTextLog): an action's
 * features text, by its digest. A logged decision's features refer to it by digest instead of
 * repeating it, which made the decision log about 3× smaller for a catalog whose features do not
 * change from one rank to the next. DELETE logs deletes them with the decisions.
 */
export function featureTextsSchema(dialect: "sqlite" | "postgres"): Migration {
  return { up: (db) => up(db, dialect === "postgres" ? sql`text collate "C"` : "text"), down };
}

async function up(db: Kysely<unknown>, key: "text" | ReturnType<typeof sql>): Promise<void> {
  await db.schema
    .createTable("feature_texts")
    .addColumn("experiment_id", key, (c) => c.notNull())
    .addColumn("digest", key, (c) => c.notNull())
    /** The action's features as JSON text, exactly as the decision logged it. */
    .addColumn("text", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("feature_texts_pkey", ["experiment_id", "digest"])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("feature_texts").execute();
}

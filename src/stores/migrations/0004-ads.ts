import { type Kysely, type Migration, sql } from "kysely";

/**
 * The Sponsored Products bid optimizer (src/apps/ads/service): profiles and how to reach them,
 * synced keywords and their daily report figures, plans with one item per keyword and its
 * execution outcome, executed bid changes, schedules, and the scheduler's leader lease.
 * Amazon ids (int64) are text, so they stay exact. Money is double precision (the API's own).
 * Secrets: the LWA client secret lives in the configuration only; ads_profiles.refresh_token may
 * hold an advertiser's refresh token (the API needs it in clear to mint access tokens), null
 * meaning the configured one — protect the database like the configuration.
 */
export function adsSchema(dialect: "sqlite" | "postgres"): Migration {
  return { up: (db) => up(db, dialect === "postgres" ? sql`text collate "C"` : "text"), down };
}

async function up(db: Kysely<unknown>, key: "text" | ReturnType<typeof sql>): Promise<void> {
  await db.schema
    .createTable("ads_profiles")
    .addColumn("profile_id", key, (c) => c.primaryKey())
    .addColumn("country_code", "text", (c) => c.notNull())
    .addColumn("currency_code", "text", (c) => c.notNull())
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("account_name", "text", (c) => c.notNull())
    .addColumn("region", "text", (c) => c.notNull())
    .addColumn("api_base_url", "text")
    .addColumn("token_url", "text")
    .addColumn("refresh_token", "text")
    .addColumn("synced_at", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("ads_keywords")
    .addColumn("keyword_id", key, (c) => c.primaryKey())
    .addColumn("profile_id", key, (c) => c.notNull())
    .addColumn("ad_group_id", key, (c) => c.notNull())
    .addColumn("campaign_id", key, (c) => c.notNull())
    .addColumn("keyword_text", "text", (c) => c.notNull())
    .addColumn("match_type", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("bid", "double precision", (c) => c.notNull())
    .addColumn("synced_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ads_keywords_profile")
    .on("ads_keywords")
    .columns(["profile_id", "keyword_id"])
    .execute();

  await db.schema
    .createTable("ads_keyword_days")
    .addColumn("keyword_id", key, (c) => c.notNull())
    .addColumn("date", key, (c) => c.notNull())
    .addColumn("profile_id", key, (c) => c.notNull())
    .addColumn("impressions", "bigint", (c) => c.notNull())
    .addColumn("clicks", "bigint", (c) => c.notNull())
    .addColumn("cost", "double precision", (c) => c.notNull())
    .addColumn("sales", "double precision", (c) => c.notNull())
    .addColumn("orders", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("ads_keyword_days_pk", ["keyword_id", "date"])
    .execute();
  await db.schema
    .createIndex("ads_keyword_days_profile")
    .on("ads_keyword_days")
    .columns(["profile_id", "date"])
    .execute();

  await db.schema
    .createTable("ads_plans")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("profile_id", key, (c) => c.notNull())
    .addColumn("today", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("settings", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("error", "text")
    .execute();
  await db.schema.createIndex("ads_plans_created").on("ads_plans").columns(["created_at", "id"]).execute();

  await db.schema
    .createTable("ads_plan_items")
    .addColumn("plan_id", key, (c) => c.notNull())
    .addColumn("keyword_id", key, (c) => c.notNull())
    .addColumn("profile_id", key, (c) => c.notNull())
    .addColumn("ad_group_id", key, (c) => c.notNull())
    .addColumn("campaign_id", key, (c) => c.notNull())
    .addColumn("current_bid", "double precision", (c) => c.notNull())
    .addColumn("proposed_bid", "double precision", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("arm_id", "text")
    .addColumn("multiplier", "double precision")
    .addColumn("expected_reward", "double precision")
    .addColumn("confidence", "double precision", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("event_id", key)
    .addColumn("model_bid", "double precision")
    .addColumn("model_weight", "double precision", (c) => c.notNull())
    .addColumn("execution", "text", (c) => c.notNull())
    .addColumn("error_code", "text")
    .addColumn("error_message", "text")
    .addColumn("executed_at", "bigint")
    .addColumn("activated_at", "bigint")
    .addColumn("rewarded_at", "bigint")
    .addColumn("reward_value", "double precision")
    .addPrimaryKeyConstraint("ads_plan_items_pk", ["plan_id", "keyword_id"])
    .execute();
  await db.schema.createIndex("ads_plan_items_keyword").on("ads_plan_items").columns(["keyword_id"]).execute();
  await db.schema.createIndex("ads_plan_items_event").on("ads_plan_items").columns(["event_id"]).execute();

  await db.schema
    .createTable("ads_changes")
    .addColumn("plan_id", key, (c) => c.notNull())
    .addColumn("keyword_id", key, (c) => c.notNull())
    .addColumn("profile_id", key, (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("from_bid", "double precision", (c) => c.notNull())
    .addColumn("to_bid", "double precision", (c) => c.notNull())
    .addColumn("event_id", key)
    .addColumn("executed_at", "bigint", (c) => c.notNull())
    .addColumn("rewarded_at", "bigint")
    .addPrimaryKeyConstraint("ads_changes_pk", ["plan_id", "keyword_id"])
    .execute();
  await db.schema.createIndex("ads_changes_profile").on("ads_changes").columns(["profile_id", "executed_at"]).execute();
  await db.schema.createIndex("ads_changes_event").on("ads_changes").columns(["event_id"]).execute();

  await db.schema
    .createTable("ads_schedules")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("profile_id", key, (c) => c.notNull())
    .addColumn("cadence", "text", (c) => c.notNull())
    .addColumn("strategy", "text", (c) => c.notNull())
    .addColumn("target_acos", "double precision", (c) => c.notNull())
    .addColumn("auto_execute", "integer", (c) => c.notNull())
    .addColumn("min_confidence", "double precision", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("next_run_at", "bigint", (c) => c.notNull())
    .addColumn("last_run_at", "bigint")
    .addColumn("last_plan_id", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("ads_leases")
    .addColumn("name", key, (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "ads_leases",
    "ads_schedules",
    "ads_changes",
    "ads_plan_items",
    "ads_plans",
    "ads_keyword_days",
    "ads_keywords",
    "ads_profiles",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

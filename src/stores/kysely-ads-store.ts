import { type Kysely, type Selectable, sql } from "kysely";
import { BanditryError } from "../domain/errors.js";
import type { Database } from "./database.js";
import { chunks, type SqlDialect } from "./sql-dialect.js";
import type {
  AdsChangeRecord,
  AdsItemOutcome,
  AdsKeywordDayRecord,
  AdsKeywordRecord,
  AdsPlanItemRecord,
  AdsPlanRecord,
  AdsPlanStatus,
  AdsProfileRecord,
  AdsSchedulePatch,
  AdsScheduleRecord,
  AdsStore,
} from "./stores.js";

/** Tables of migrations/0004-ads.ts (kept here: only this store reads them). */
type AdsTables = {
  ads_profiles: {
    profile_id: string;
    country_code: string;
    currency_code: string;
    timezone: string;
    account_name: string;
    region: string;
    api_base_url: string | null;
    token_url: string | null;
    refresh_token: string | null;
    synced_at: number | null;
    created_at: number;
  };
  ads_keywords: {
    keyword_id: string;
    profile_id: string;
    ad_group_id: string;
    campaign_id: string;
    keyword_text: string;
    match_type: string;
    state: string;
    bid: number;
    synced_at: number;
  };
  ads_keyword_days: {
    keyword_id: string;
    date: string;
    profile_id: string;
    impressions: number;
    clicks: number;
    cost: number;
    sales: number;
    orders: number;
  };
  ads_plans: {
    id: string;
    profile_id: string;
    today: string;
    status: string;
    settings: string;
    created_at: number;
    updated_at: number;
    error: string | null;
  };
  ads_plan_items: {
    plan_id: string;
    keyword_id: string;
    profile_id: string;
    ad_group_id: string;
    campaign_id: string;
    current_bid: number;
    proposed_bid: number;
    action: string;
    arm_id: string | null;
    multiplier: number | null;
    expected_reward: number | null;
    confidence: number;
    reason: string;
    event_id: string | null;
    model_bid: number | null;
    model_weight: number;
    execution: string;
    error_code: string | null;
    error_message: string | null;
    executed_at: number | null;
    activated_at: number | null;
    rewarded_at: number | null;
    reward_value: number | null;
  };
  ads_changes: {
    plan_id: string;
    keyword_id: string;
    profile_id: string;
    date: string;
    from_bid: number;
    to_bid: number;
    event_id: string | null;
    executed_at: number;
    rewarded_at: number | null;
  };
  ads_schedules: {
    id: string;
    profile_id: string;
    cadence: string;
    strategy: string;
    target_acos: number;
    auto_execute: number;
    min_confidence: number;
    enabled: number;
    next_run_at: number;
    last_run_at: number | null;
    last_plan_id: string | null;
    last_error: string | null;
    created_at: number;
    updated_at: number;
  };
  ads_leases: { name: string; holder: string; expires_at: number };
};

type Db = Kysely<Database & AdsTables>;

/** Rows per multi-row INSERT: 23 columns × 500 stays far below SQLite's variable limit. */
const ROWS = 500;

export class KyselyAdsStore implements AdsStore {
  readonly #db: Db;
  readonly #dialect: SqlDialect;

  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.#db = db.withTables<AdsTables>() as unknown as Db;
    this.#dialect = dialect;
  }

  async upsertProfile(p: AdsProfileRecord): Promise<void> {
    const row = {
      profile_id: p.profileId,
      country_code: p.countryCode,
      currency_code: p.currencyCode,
      timezone: p.timezone,
      account_name: p.accountName,
      region: p.region,
      api_base_url: p.apiBaseUrl,
      token_url: p.tokenUrl,
      refresh_token: p.refreshToken,
      synced_at: p.syncedAt,
      created_at: p.createdAt,
    };
    const { profile_id: _id, created_at: _created, ...update } = row;
    await this.#db
      .insertInto("ads_profiles")
      .values(row)
      .onConflict((oc) => oc.column("profile_id").doUpdateSet(update))
      .execute();
  }

  async getProfile(profileId: string): Promise<AdsProfileRecord | undefined> {
    const row = await this.#db
      .selectFrom("ads_profiles")
      .selectAll()
      .where("profile_id", "=", profileId)
      .executeTakeFirst();
    return row === undefined ? undefined : profileFromRow(row);
  }

  async listProfiles(): Promise<AdsProfileRecord[]> {
    const rows = await this.#db.selectFrom("ads_profiles").selectAll().orderBy("profile_id").execute();
    return rows.map(profileFromRow);
  }

  async setProfileSynced(profileId: string, now: number): Promise<void> {
    await this.#db.updateTable("ads_profiles").set({ synced_at: now }).where("profile_id", "=", profileId).execute();
  }

  async upsertKeywords(keywords: readonly AdsKeywordRecord[]): Promise<void> {
    if (keywords.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const part of chunks(keywords, ROWS)) {
        await trx
          .insertInto("ads_keywords")
          .values(
            part.map((k) => ({
              keyword_id: k.keywordId,
              profile_id: k.profileId,
              ad_group_id: k.adGroupId,
              campaign_id: k.campaignId,
              keyword_text: k.keywordText,
              match_type: k.matchType,
              state: k.state,
              bid: k.bid,
              synced_at: k.syncedAt,
            })),
          )
          .onConflict((oc) =>
            oc.column("keyword_id").doUpdateSet((eb) => ({
              profile_id: eb.ref("excluded.profile_id"),
              ad_group_id: eb.ref("excluded.ad_group_id"),
              campaign_id: eb.ref("excluded.campaign_id"),
              keyword_text: eb.ref("excluded.keyword_text"),
              match_type: eb.ref("excluded.match_type"),
              state: eb.ref("excluded.state"),
              bid: eb.ref("excluded.bid"),
              synced_at: eb.ref("excluded.synced_at"),
            })),
          )
          .execute();
      }
    });
  }

  async listKeywords(profileId: string): Promise<AdsKeywordRecord[]> {
    const rows = await this.#db
      .selectFrom("ads_keywords")
      .selectAll()
      .where("profile_id", "=", profileId)
      .orderBy("keyword_id")
      .execute();
    return rows.map(keywordFromRow);
  }

  async getKeyword(keywordId: string): Promise<AdsKeywordRecord | undefined> {
    const row = await this.#db
      .selectFrom("ads_keywords")
      .selectAll()
      .where("keyword_id", "=", keywordId)
      .executeTakeFirst();
    return row === undefined ? undefined : keywordFromRow(row);
  }

  async upsertKeywordDays(days: readonly AdsKeywordDayRecord[]): Promise<void> {
    if (days.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const part of chunks(days, ROWS)) {
        await trx
          .insertInto("ads_keyword_days")
          .values(
            part.map((d) => ({
              keyword_id: d.keywordId,
              date: d.date,
              profile_id: d.profileId,
              impressions: d.impressions,
              clicks: d.clicks,
              cost: d.cost,
              sales: d.sales,
              orders: d.orders,
            })),
          )
          .onConflict((oc) =>
            oc.columns(["keyword_id", "date"]).doUpdateSet((eb) => ({
              profile_id: eb.ref("excluded.profile_id"),
              impressions: eb.ref("excluded.impressions"),
              clicks: eb.ref("excluded.clicks"),
              cost: eb.ref("excluded.cost"),
              sales: eb.ref("excluded.sales"),
              orders: eb.ref("excluded.orders"),
            })),
          )
          .execute();
      }
    });
  }

  async keywordDays(
    profileId: string,
    options: { from?: string; keywordId?: string } = {},
  ): Promise<AdsKeywordDayRecord[]> {
    const rows = await this.#db
      .selectFrom("ads_keyword_days")
      .selectAll()
      .where("profile_id", "=", profileId)
      .$if(options.from !== undefined, (qb) => qb.where("date", ">=", options.from!))
      .$if(options.keywordId !== undefined, (qb) => qb.where("keyword_id", "=", options.keywordId!))
      .orderBy("date")
      .orderBy("keyword_id")
      .execute();
    return rows.map((r) => ({
      profileId: r.profile_id,
      keywordId: r.keyword_id,
      date: r.date,
      impressions: Number(r.impressions),
      clicks: Number(r.clicks),
      cost: r.cost,
      sales: r.sales,
      orders: Number(r.orders),
    }));
  }

  async createPlan(plan: AdsPlanRecord, items: readonly AdsPlanItemRecord[]): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto("ads_plans")
        .values({
          id: plan.id,
          profile_id: plan.profileId,
          today: plan.today,
          status: plan.status,
          settings: JSON.stringify(plan.settings),
          created_at: plan.createdAt,
          updated_at: plan.updatedAt,
          error: plan.error,
        })
        .onConflict((oc) => oc.column("id").doNothing())
        .returning("id")
        .execute();
      if (inserted.length === 0) {
        throw new BanditryError("BANDITRY_ADS_CONFLICT", `plan id ${plan.id} is already taken`, { field: "id" });
      }
      for (const part of chunks(items, ROWS)) {
        await trx.insertInto("ads_plan_items").values(part.map(itemToRow)).execute();
      }
    });
  }

  async getPlan(planId: string): Promise<AdsPlanRecord | undefined> {
    const row = await this.#db.selectFrom("ads_plans").selectAll().where("id", "=", planId).executeTakeFirst();
    return row === undefined ? undefined : planFromRow(row);
  }

  async listPlans(options: { profileId?: string; limit?: number } = {}): Promise<AdsPlanRecord[]> {
    const rows = await this.#db
      .selectFrom("ads_plans")
      .selectAll()
      .$if(options.profileId !== undefined, (qb) => qb.where("profile_id", "=", options.profileId!))
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(options.limit ?? 100)
      .execute();
    return rows.map(planFromRow);
  }

  async setPlanStatus(
    planId: string,
    from: readonly AdsPlanStatus[],
    to: AdsPlanStatus,
    now: number,
    error: string | null = null,
  ): Promise<boolean> {
    if (from.length === 0) return false;
    const updated = await this.#db
      .updateTable("ads_plans")
      .set({ status: to, updated_at: now, error })
      .where("id", "=", planId)
      .where(this.#dialect.inList("status", from))
      .returning("id")
      .execute();
    return updated.length > 0;
  }

  async planItems(planId: string): Promise<AdsPlanItemRecord[]> {
    const rows = await this.#db
      .selectFrom("ads_plan_items")
      .selectAll()
      .where("plan_id", "=", planId)
      .orderBy("keyword_id")
      .execute();
    return rows.map(itemFromRow);
  }

  async setItemOutcomes(planId: string, outcomes: readonly AdsItemOutcome[], _now: number): Promise<void> {
    if (outcomes.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const o of outcomes) {
        await trx
          .updateTable("ads_plan_items")
          .set({
            execution: o.execution,
            error_code: o.errorCode,
            error_message: o.errorMessage,
            ...(o.executedAt === undefined ? {} : { executed_at: o.executedAt }),
          })
          .where("plan_id", "=", planId)
          .where("keyword_id", "=", o.keywordId)
          .execute();
      }
    });
  }

  async recordExecuted(planId: string, changes: readonly AdsChangeRecord[], now: number): Promise<void> {
    if (changes.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const part of chunks(changes, ROWS)) {
        await trx
          .insertInto("ads_changes")
          .values(
            part.map((c) => ({
              plan_id: planId,
              keyword_id: c.keywordId,
              profile_id: c.profileId,
              date: c.date,
              from_bid: c.fromBid,
              to_bid: c.toBid,
              event_id: c.eventId,
              executed_at: c.executedAt,
              rewarded_at: c.rewardedAt,
            })),
          )
          .onConflict((oc) => oc.columns(["plan_id", "keyword_id"]).doNothing())
          .execute();
        await trx
          .updateTable("ads_plan_items")
          .set({ execution: "succeeded", error_code: null, error_message: null, executed_at: now })
          .where("plan_id", "=", planId)
          .where(
            this.#dialect.inList(
              "keyword_id",
              part.map((c) => c.keywordId),
            ),
          )
          .execute();
      }
    });
  }

  async markActivated(planId: string, keywordIds: readonly string[], now: number): Promise<void> {
    if (keywordIds.length === 0) return;
    await this.#db
      .updateTable("ads_plan_items")
      .set({ activated_at: now })
      .where("plan_id", "=", planId)
      .where(this.#dialect.inList("keyword_id", keywordIds))
      .where("activated_at", "is", null)
      .execute();
  }

  async listChanges(profileId: string, options: { keywordId?: string } = {}): Promise<AdsChangeRecord[]> {
    const rows = await this.#db
      .selectFrom("ads_changes")
      .selectAll()
      .where("profile_id", "=", profileId)
      .$if(options.keywordId !== undefined, (qb) => qb.where("keyword_id", "=", options.keywordId!))
      .orderBy("executed_at")
      .orderBy("date")
      .orderBy("keyword_id")
      .execute();
    return rows.map((r) => ({
      profileId: r.profile_id,
      planId: r.plan_id,
      keywordId: r.keyword_id,
      date: r.date,
      fromBid: r.from_bid,
      toBid: r.to_bid,
      eventId: r.event_id,
      executedAt: r.executed_at,
      rewardedAt: r.rewarded_at,
    }));
  }

  async markRewarded(rewards: readonly { eventId: string; value: number }[], now: number): Promise<void> {
    if (rewards.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const r of rewards) {
        await trx
          .updateTable("ads_changes")
          .set({ rewarded_at: now })
          .where("event_id", "=", r.eventId)
          .where("rewarded_at", "is", null)
          .execute();
        await trx
          .updateTable("ads_plan_items")
          .set({ rewarded_at: now, reward_value: r.value })
          .where("event_id", "=", r.eventId)
          .where("rewarded_at", "is", null)
          .execute();
      }
    });
  }

  async keywordItems(keywordId: string, limit: number): Promise<AdsPlanItemRecord[]> {
    const rows = await this.#db
      .selectFrom("ads_plan_items as i")
      .innerJoin("ads_plans as p", "p.id", "i.plan_id")
      .selectAll("i")
      .where("i.keyword_id", "=", keywordId)
      .orderBy("p.created_at", "desc")
      .orderBy("p.id", "desc")
      .limit(limit)
      .execute();
    return rows.map(itemFromRow);
  }

  async createSchedule(s: AdsScheduleRecord): Promise<void> {
    const inserted = await this.#db
      .insertInto("ads_schedules")
      .values(scheduleToRow(s))
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .execute();
    if (inserted.length === 0) {
      throw new BanditryError("BANDITRY_ADS_CONFLICT", `schedule id ${s.id} is already taken`, { field: "id" });
    }
  }

  async getSchedule(id: string): Promise<AdsScheduleRecord | undefined> {
    const row = await this.#db.selectFrom("ads_schedules").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : scheduleFromRow(row);
  }

  async listSchedules(options: { profileId?: string } = {}): Promise<AdsScheduleRecord[]> {
    const rows = await this.#db
      .selectFrom("ads_schedules")
      .selectAll()
      .$if(options.profileId !== undefined, (qb) => qb.where("profile_id", "=", options.profileId!))
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(scheduleFromRow);
  }

  async updateSchedule(id: string, patch: AdsSchedulePatch, now: number): Promise<AdsScheduleRecord | undefined> {
    const set: Partial<AdsTables["ads_schedules"]> = { updated_at: now };
    if (patch.cadence !== undefined) set.cadence = patch.cadence;
    if (patch.strategy !== undefined) set.strategy = patch.strategy;
    if (patch.targetAcos !== undefined) set.target_acos = patch.targetAcos;
    if (patch.autoExecute !== undefined) set.auto_execute = patch.autoExecute ? 1 : 0;
    if (patch.minConfidence !== undefined) set.min_confidence = patch.minConfidence;
    if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
    if (patch.nextRunAt !== undefined) set.next_run_at = patch.nextRunAt;
    if (patch.lastRunAt !== undefined) set.last_run_at = patch.lastRunAt;
    if (patch.lastPlanId !== undefined) set.last_plan_id = patch.lastPlanId;
    if (patch.lastError !== undefined) set.last_error = patch.lastError;
    const updated = await this.#db
      .updateTable("ads_schedules")
      .set(set)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
    return updated === undefined ? undefined : scheduleFromRow(updated);
  }

  async claimScheduleRun(id: string, expected: number, next: number): Promise<boolean> {
    const updated = await this.#db
      .updateTable("ads_schedules")
      .set({ next_run_at: next })
      .where("id", "=", id)
      .where("next_run_at", "=", expected)
      .returning("id")
      .execute();
    return updated.length > 0;
  }

  async deleteSchedule(id: string): Promise<boolean> {
    const deleted = await this.#db.deleteFrom("ads_schedules").where("id", "=", id).returning("id").execute();
    return deleted.length > 0;
  }

  async acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
    // one atomic upsert: taken when absent, renewed by its holder, taken over once expired
    const row = await this.#db
      .insertInto("ads_leases")
      .values({ name, holder, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc
          .column("name")
          .doUpdateSet({ holder, expires_at: now + ttlMs })
          .where((eb) =>
            eb.or([eb("ads_leases.holder", "=", holder), eb("ads_leases.expires_at", "<=", sql.lit(now))]),
          ),
      )
      .returning("holder")
      .executeTakeFirst();
    return row?.holder === holder;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.#db.deleteFrom("ads_leases").where("name", "=", name).where("holder", "=", holder).execute();
  }
}

function profileFromRow(r: Selectable<AdsTables["ads_profiles"]>): AdsProfileRecord {
  return {
    profileId: r.profile_id,
    countryCode: r.country_code,
    currencyCode: r.currency_code,
    timezone: r.timezone,
    accountName: r.account_name,
    region: r.region as AdsProfileRecord["region"],
    apiBaseUrl: r.api_base_url,
    tokenUrl: r.token_url,
    refreshToken: r.refresh_token,
    syncedAt: r.synced_at,
    createdAt: r.created_at,
  };
}

function keywordFromRow(r: Selectable<AdsTables["ads_keywords"]>): AdsKeywordRecord {
  return {
    profileId: r.profile_id,
    keywordId: r.keyword_id,
    adGroupId: r.ad_group_id,
    campaignId: r.campaign_id,
    keywordText: r.keyword_text,
    matchType: r.match_type,
    state: r.state,
    bid: r.bid,
    syncedAt: r.synced_at,
  };
}

function planFromRow(r: Selectable<AdsTables["ads_plans"]>): AdsPlanRecord {
  return {
    id: r.id,
    profileId: r.profile_id,
    today: r.today,
    status: r.status as AdsPlanStatus,
    settings: JSON.parse(r.settings) as Record<string, unknown>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    error: r.error,
  };
}

function itemToRow(i: AdsPlanItemRecord): AdsTables["ads_plan_items"] {
  return {
    plan_id: i.planId,
    keyword_id: i.keywordId,
    profile_id: i.profileId,
    ad_group_id: i.adGroupId,
    campaign_id: i.campaignId,
    current_bid: i.currentBid,
    proposed_bid: i.proposedBid,
    action: i.action,
    arm_id: i.armId,
    multiplier: i.multiplier,
    expected_reward: i.expectedReward,
    confidence: i.confidence,
    reason: i.reason,
    event_id: i.eventId,
    model_bid: i.modelBid,
    model_weight: i.modelWeight,
    execution: i.execution,
    error_code: i.errorCode,
    error_message: i.errorMessage,
    executed_at: i.executedAt,
    activated_at: i.activatedAt,
    rewarded_at: i.rewardedAt,
    reward_value: i.rewardValue,
  };
}

function itemFromRow(r: Selectable<AdsTables["ads_plan_items"]>): AdsPlanItemRecord {
  return {
    planId: r.plan_id,
    profileId: r.profile_id,
    keywordId: r.keyword_id,
    adGroupId: r.ad_group_id,
    campaignId: r.campaign_id,
    currentBid: r.current_bid,
    proposedBid: r.proposed_bid,
    action: r.action as AdsPlanItemRecord["action"],
    armId: r.arm_id,
    multiplier: r.multiplier,
    expectedReward: r.expected_reward,
    confidence: r.confidence,
    reason: r.reason,
    eventId: r.event_id,
    modelBid: r.model_bid,
    modelWeight: r.model_weight,
    execution: r.execution as AdsPlanItemRecord["execution"],
    errorCode: r.error_code,
    errorMessage: r.error_message,
    executedAt: r.executed_at,
    activatedAt: r.activated_at,
    rewardedAt: r.rewarded_at,
    rewardValue: r.reward_value,
  };
}

function scheduleToRow(s: AdsScheduleRecord): AdsTables["ads_schedules"] {
  return {
    id: s.id,
    profile_id: s.profileId,
    cadence: s.cadence,
    strategy: s.strategy,
    target_acos: s.targetAcos,
    auto_execute: s.autoExecute ? 1 : 0,
    min_confidence: s.minConfidence,
    enabled: s.enabled ? 1 : 0,
    next_run_at: s.nextRunAt,
    last_run_at: s.lastRunAt,
    last_plan_id: s.lastPlanId,
    last_error: s.lastError,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

function scheduleFromRow(r: Selectable<AdsTables["ads_schedules"]>): AdsScheduleRecord {
  return {
    id: r.id,
    profileId: r.profile_id,
    cadence: r.cadence as AdsScheduleRecord["cadence"],
    strategy: r.strategy as AdsScheduleRecord["strategy"],
    targetAcos: r.target_acos,
    autoExecute: r.auto_execute === 1,
    minConfidence: r.min_confidence,
    enabled: r.enabled === 1,
    nextRunAt: r.next_run_at,
    lastRunAt: r.last_run_at,
    lastPlanId: r.last_plan_id,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

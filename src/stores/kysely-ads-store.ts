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
    const row = toRow<AdsTables["ads_profiles"]>(PROFILE_COLUMNS, p);
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
          .values(part.map((k) => toRow<AdsTables["ads_keywords"]>(KEYWORD_COLUMNS, k)))
          .onConflict((oc) =>
            oc
              .column("keyword_id")
              .doUpdateSet(newRowWins(Object.values(KEYWORD_COLUMNS).filter((c) => c !== "keyword_id"))),
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
          .values(part.map((d) => toRow<AdsTables["ads_keyword_days"]>(DAY_COLUMNS, d)))
          .onConflict((oc) =>
            oc
              .columns(["keyword_id", "date"])
              .doUpdateSet(newRowWins(Object.values(DAY_COLUMNS).filter((c) => c !== "keyword_id" && c !== "date"))),
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
      ...fromRow<AdsKeywordDayRecord>(DAY_COLUMNS, r),
      impressions: Number(r.impressions),
      clicks: Number(r.clicks),
      orders: Number(r.orders),
    }));
  }

  async createPlan(plan: AdsPlanRecord, items: readonly AdsPlanItemRecord[]): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto("ads_plans")
        .values({ ...toRow<AdsTables["ads_plans"]>(PLAN_COLUMNS, plan), settings: JSON.stringify(plan.settings) })
        .onConflict((oc) => oc.column("id").doNothing())
        .returning("id")
        .execute();
      if (inserted.length === 0) {
        throw new BanditryError("BANDITRY_ADS_CONFLICT", `plan id ${plan.id} is already taken`, { field: "id" });
      }
      for (const part of chunks(items, ROWS)) {
        await trx
          .insertInto("ads_plan_items")
          .values(part.map((i) => toRow<AdsTables["ads_plan_items"]>(ITEM_COLUMNS, i)))
          .execute();
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
          .values(part.map((c) => toRow<AdsTables["ads_changes"]>(CHANGE_COLUMNS, { ...c, planId })))
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
    return rows.map((r) => fromRow<AdsChangeRecord>(CHANGE_COLUMNS, r));
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

/** Record field → its column, in the record's field order: one table serves both directions. */
type Columns<R, Row> = { readonly [K in keyof Required<R>]: keyof Row & string };

/** A Columns map that the compiler checks both ways: every field of R, and every column of Row. */
function columns<R, Row>() {
  return <const M extends Columns<R, Row>>(
    map: M & (Exclude<keyof Row, M[keyof M]> extends never ? unknown : { unmapped: Exclude<keyof Row, M[keyof M]> }),
  ): M => map;
}

function toRow<Row>(columns: Readonly<Record<string, keyof Row & string>>, record: object): Row {
  const row: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(columns)) row[column] = (record as Record<string, unknown>)[field];
  return row as Row;
}

/** Casts only narrow string columns to their union types: the store wrote them from such values. */
function fromRow<R>(columns: Readonly<Record<keyof R, string>>, row: object): R {
  const record: Record<string, unknown> = {};
  for (const [field, column] of Object.entries<string>(columns))
    record[field] = (row as Record<string, unknown>)[column];
  return record as R;
}

/** `column = excluded.column` for each column: an upsert where the new row wins. */
function newRowWins(columns: readonly string[]) {
  return Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)]));
}

const PROFILE_COLUMNS = columns<AdsProfileRecord, AdsTables["ads_profiles"]>()({
  profileId: "profile_id",
  countryCode: "country_code",
  currencyCode: "currency_code",
  timezone: "timezone",
  accountName: "account_name",
  region: "region",
  apiBaseUrl: "api_base_url",
  tokenUrl: "token_url",
  refreshToken: "refresh_token",
  syncedAt: "synced_at",
  createdAt: "created_at",
});

const KEYWORD_COLUMNS = columns<AdsKeywordRecord, AdsTables["ads_keywords"]>()({
  profileId: "profile_id",
  keywordId: "keyword_id",
  adGroupId: "ad_group_id",
  campaignId: "campaign_id",
  keywordText: "keyword_text",
  matchType: "match_type",
  state: "state",
  bid: "bid",
  syncedAt: "synced_at",
});

const DAY_COLUMNS = columns<AdsKeywordDayRecord, AdsTables["ads_keyword_days"]>()({
  profileId: "profile_id",
  keywordId: "keyword_id",
  date: "date",
  impressions: "impressions",
  clicks: "clicks",
  cost: "cost",
  sales: "sales",
  orders: "orders",
});

const PLAN_COLUMNS = columns<AdsPlanRecord, AdsTables["ads_plans"]>()({
  id: "id",
  profileId: "profile_id",
  today: "today",
  status: "status",
  settings: "settings",
  createdAt: "created_at",
  updatedAt: "updated_at",
  error: "error",
});

const ITEM_COLUMNS = columns<AdsPlanItemRecord, AdsTables["ads_plan_items"]>()({
  planId: "plan_id",
  profileId: "profile_id",
  keywordId: "keyword_id",
  adGroupId: "ad_group_id",
  campaignId: "campaign_id",
  currentBid: "current_bid",
  proposedBid: "proposed_bid",
  action: "action",
  armId: "arm_id",
  multiplier: "multiplier",
  expectedReward: "expected_reward",
  confidence: "confidence",
  reason: "reason",
  eventId: "event_id",
  modelBid: "model_bid",
  modelWeight: "model_weight",
  execution: "execution",
  errorCode: "error_code",
  errorMessage: "error_message",
  executedAt: "executed_at",
  activatedAt: "activated_at",
  rewardedAt: "rewarded_at",
  rewardValue: "reward_value",
});

const CHANGE_COLUMNS = columns<AdsChangeRecord, AdsTables["ads_changes"]>()({
  profileId: "profile_id",
  planId: "plan_id",
  keywordId: "keyword_id",
  date: "date",
  fromBid: "from_bid",
  toBid: "to_bid",
  eventId: "event_id",
  executedAt: "executed_at",
  rewardedAt: "rewarded_at",
});

const SCHEDULE_COLUMNS = columns<AdsScheduleRecord, AdsTables["ads_schedules"]>()({
  id: "id",
  profileId: "profile_id",
  cadence: "cadence",
  strategy: "strategy",
  targetAcos: "target_acos",
  autoExecute: "auto_execute",
  minConfidence: "min_confidence",
  enabled: "enabled",
  nextRunAt: "next_run_at",
  lastRunAt: "last_run_at",
  lastPlanId: "last_plan_id",
  lastError: "last_error",
  createdAt: "created_at",
  updatedAt: "updated_at",
});

const profileFromRow = (r: Selectable<AdsTables["ads_profiles"]>) => fromRow<AdsProfileRecord>(PROFILE_COLUMNS, r);
const keywordFromRow = (r: Selectable<AdsTables["ads_keywords"]>) => fromRow<AdsKeywordRecord>(KEYWORD_COLUMNS, r);
const itemFromRow = (r: Selectable<AdsTables["ads_plan_items"]>) => fromRow<AdsPlanItemRecord>(ITEM_COLUMNS, r);

function planFromRow(r: Selectable<AdsTables["ads_plans"]>): AdsPlanRecord {
  return { ...fromRow<AdsPlanRecord>(PLAN_COLUMNS, r), settings: JSON.parse(r.settings) as Record<string, unknown> };
}

function scheduleToRow(s: AdsScheduleRecord): AdsTables["ads_schedules"] {
  return {
    ...toRow<AdsTables["ads_schedules"]>(SCHEDULE_COLUMNS, s),
    auto_execute: s.autoExecute ? 1 : 0,
    enabled: s.enabled ? 1 : 0,
  };
}

function scheduleFromRow(r: Selectable<AdsTables["ads_schedules"]>): AdsScheduleRecord {
  return {
    ...fromRow<AdsScheduleRecord>(SCHEDULE_COLUMNS, r),
    autoExecute: r.auto_execute === 1,
    enabled: r.enabled === 1,
  };
}

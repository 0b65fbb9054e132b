import type { ExecutedChange, KeywordDay, KeywordInfo, PlanItem } from "../apps/ads/optimizer/optimizer-types.js";
import type { Decision, DecisionFeatures, Reward } from "../domain/decision.js";
import type { Arm, ArmState, Experiment, Group, RewardAggregation } from "../domain/experiment.js";
import type { EvaluationRecord } from "../evaluation/evaluation-types.js";

/**
 * Store contracts. Every implementation (SQLite, PostgreSQL) passes the same contract suite
 * in test/stores/. Times are epoch milliseconds, integers (they are stored as bigint).
 */

export interface ExperimentRecord extends Experiment {
  /** Forward-decay landmark (ms): stored evidence is scaled by 2^((t − landmark)/halfLife). */
  decayLandmark: number;
}

export interface ExperimentPatch {
  name?: string;
  status?: Experiment["status"];
  /** Replaces the whole configuration part that changed (validated by the service). */
  config?: Partial<Omit<Experiment, "id" | "arms" | "createdAt" | "updatedAt" | "status" | "name">>;
  decayLandmark?: number;
}

export interface ExperimentStore {
  /** Throws BanditryError BANDITRY_EXPERIMENT_EXISTS when the id is taken (archived ones too). */
  create(experiment: ExperimentRecord): Promise<void>;
  get(id: string): Promise<ExperimentRecord | undefined>;
  list(options?: { includeArchived?: boolean }): Promise<ExperimentRecord[]>;
  /**
   * Experiments (archived ones too) whose row or arms changed at or after `since`, for
   * multi-instance refresh: update, addArm and setArmState set updatedAt = now.
   */
  changedSince(since: number): Promise<ExperimentRecord[]>;
  /** Throws BANDITRY_EXPERIMENT_NOT_FOUND. Returns the updated record. */
  update(id: string, patch: ExperimentPatch, now: number): Promise<ExperimentRecord>;
  /** Throws BANDITRY_ARM_EXISTS / BANDITRY_EXPERIMENT_NOT_FOUND. */
  addArm(experimentId: string, arm: Arm, now: number): Promise<ExperimentRecord>;
  /** Throws BANDITRY_ARM_NOT_FOUND / BANDITRY_EXPERIMENT_NOT_FOUND. */
  setArmState(experimentId: string, armId: string, state: ArmState, now: number): Promise<ExperimentRecord>;
}

/** Additive evidence of one reward, already scaled by the experiment's forward-decay factor. */
export interface Evidence {
  n: number;
  s1: number;
  s2: number;
}

/**
 * experimentId, segment, armId and group repeat the decision's (the engine has them in memory or
 * read them from the store); the store counts the reward for them as given, since a stored
 * decision's values never change.
 */
export interface RewardOp {
  eventId: string;
  experimentId: string;
  segment: string;
  armId: string;
  group: Group;
  value: number;
  isDefault: boolean;
  createdAt: number;
  /** earliest: refused when the event already has a reward; sum: every reward counts. */
  aggregation: RewardAggregation;
  /** Added to (experiment, segment, arm) and (experiment, "*", arm) when the reward counts. */
  evidence: Evidence;
}

/**
 * applied: recorded and counted for learning; stored: recorded, counts when the decision is
 * activated; duplicate: refused (earliest, or a default reward after any reward);
 * unknown: no such decision.
 */
export type RewardOutcome = "applied" | "stored" | "duplicate" | "unknown";
/** activated: now active (stored rewards were applied); already: was active; unknown: no such decision. */
export type ActivationOutcome = "activated" | "already" | "unknown";

/**
 * One group commit: everything in it is durable, in one transaction, when commit resolves.
 * Order inside the batch: decisions are inserted first, then activations run, then rewards (in
 * batch order), so a batch may carry a decision together with its activation and its rewards.
 * A reward counts ("applied"/"stored") when it is recorded: the decision's reward count grows and
 * its default-reward due time is cleared. Refused rewards ("duplicate", "unknown") leave no trace.
 */
export interface CommitBatch {
  decisions: Decision[];
  rewards: RewardOp[];
  activations: string[];
  /** Rewards for due decisions are applied by default at this time (ms), if the decision has a wait. */
  now: number;
  /**
   * Reward wait per experiment (ms), to set a new decision's default-reward due time; the
   * default value itself is applied later by the engine through a RewardOp with isDefault.
   */
  rewardWaitMs: Record<string, number | undefined>;
}

export interface CommitResult {
  /** Per decision, in order: false when the event id already existed (nothing written). */
  decisionsInserted: boolean[];
  rewardOutcomes: RewardOutcome[];
  activationOutcomes: ActivationOutcome[];
  /**
   * Evidence that became effective through activations, for the engine's memory: one entry per
   * stored reward now applied, in activation order; like an applied RewardOp it counts for
   * (experiment, segment, arm) and (experiment, "*", arm). A reward in the same batch as its
   * activation is not listed: it comes after the activation, so its outcome is "applied".
   */
  activatedEvidence: { experimentId: string; segment: string; armId: string; evidence: Evidence; value: number }[];
}

/** Per (experiment, segment, arm): pulls and rewards are raw counts; n, s1, s2 are decay-scaled evidence. */
export interface PosteriorRow {
  experimentId: string;
  segment: string;
  armId: string;
  pulls: number;
  rewards: number;
  rewardSum: number;
  n: number;
  s1: number;
  s2: number;
  updatedAt: number;
}

export interface GroupStatsRow {
  experimentId: string;
  group: Group;
  decisions: number;
  rewards: number;
  rewardSum: number;
  rewardSumSq: number;
}

export interface DecisionWithRewards extends Decision {
  rewards: Reward[];
}

/** The columns of a decision that a reward or an activation needs: a narrow, cheap read. */
export interface DecisionRef {
  experimentId: string;
  segment: string;
  armId: string;
  group: Group;
  activated: boolean;
}

export interface EventStore {
  commit(batch: CommitBatch): Promise<CommitResult>;
  getDecisions(eventIds: readonly string[]): Promise<Map<string, Decision>>;
  /** getDecisions' narrow form for the reward path: only the columns of DecisionRef. */
  decisionRefs(eventIds: readonly string[]): Promise<Map<string, DecisionRef>>;
  /** Decisions whose reward wait has passed (due time <= now) with no reward yet, oldest due first. */
  dueForDefaultReward(now: number, limit: number): Promise<Decision[]>;
  loadPosteriors(experimentId: string): Promise<PosteriorRow[]>;
  /** Rows whose updatedAt (the `now` of the last commit that touched them) is at or after since. */
  posteriorsChangedSince(since: number): Promise<PosteriorRow[]>;
  groupStats(experimentId: string): Promise<GroupStatsRow[]>;
  /**
   * Multiply an experiment's decay-scaled evidence by factor (re-basing the decay landmark): the
   * posteriors' n, s1, s2 and the evidence of its stored, not yet applied rewards. With `rebase`,
   * the experiment's decayLandmark and updatedAt and the posteriors' updatedAt are set in the same
   * transaction, so a crash cannot leave evidence and landmark out of step. Throws
   * BANDITRY_EXPERIMENT_NOT_FOUND when rebase is given for an unknown experiment.
   */
  rescaleEvidence(experimentId: string, factor: number, rebase?: { decayLandmark: number; now: number }): Promise<void>;
  /**
   * Decisions with their rewards (in the order they were recorded), in creation order (ties by
   * event id), createdAt in [from, to), for export and offline evaluation. Pages through the table.
   */
  exportDecisions(experimentId: string, options?: { from?: number; to?: number }): AsyncIterable<DecisionWithRewards>;
}

export type Scope = "admin" | "decide" | "read";

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** SHA-256 of the secret, hex. The secret itself is never stored. */
  hash: string;
  scopes: Scope[];
  /** Optional binding to one experiment (Personalizer loops). */
  experimentId: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface KeyStore {
  create(key: ApiKeyRecord): Promise<void>;
  /** Revoked keys too (the caller checks revokedAt). */
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** All keys, revoked ones too, oldest first. */
  list(): Promise<ApiKeyRecord[]>;
  /** Returns false when no such key. Revoking twice keeps the first revocation time. */
  revoke(id: string, now: number): Promise<boolean>;
  /** Number of keys ever created, revoked ones included (a bootstrap check must not reopen). */
  count(): Promise<number>;
}

/** A place in a linear experiment's learning log: rewards are ordered by (appliedAt, eventId, seq). */
export interface LearningLogKey {
  appliedAt: number;
  eventId: string;
  seq: number;
}

/** One reward of the learning log, with what its decision saw. */
export interface LearnedReward extends LearningLogKey {
  value: number;
  /** The arm the decision served (the action the reward is for). */
  armId: string;
  /** The decision's logged features; null for a decision logged without them. */
  features: DecisionFeatures | null;
}

/**
 * A linear model's saved state. `position` is opaque to the store except `createdAt` (when the
 * model was created or last reset): a snapshot never replaces one with a later createdAt, so an
 * instance that has not yet seen a reset cannot undo it.
 */
export interface LinearSnapshot {
  experimentId: string;
  /** JSON text of the model (LinearThompsonJSON). */
  model: string;
  position: { createdAt: number } & Record<string, unknown>;
  updatedAt: number;
}

export interface LinearStore {
  /**
   * Rewards of an experiment that count for learning (applied_at not null), joined with their
   * decision, ordered by (appliedAt, eventId, seq), strictly after `after`, at most `limit`.
   */
  learningLog(experimentId: string, after: LearningLogKey, limit: number): Promise<LearnedReward[]>;
  /**
   * The keys of the same log (no decision join, no features): strictly after `after`, with
   * appliedAt ≤ `through`, in log order, at most `limit`. A learner re-reads its overlap window
   * this way and fetches full rows only for keys it has not learned (learningLogRows).
   */
  learningLogKeys(
    experimentId: string,
    after: LearningLogKey,
    through: number,
    limit: number,
  ): Promise<LearningLogKey[]>;
  /** The learning log's rows with these (eventId, seq) keys, those still in it, in log order. */
  learningLogRows(experimentId: string, keys: readonly { eventId: string; seq: number }[]): Promise<LearnedReward[]>;
  loadSnapshot(experimentId: string): Promise<LinearSnapshot | undefined>;
  /** The saved snapshot's position.createdAt without reading the model (a cheap check for a reset elsewhere). */
  snapshotCreatedAt(experimentId: string): Promise<number | undefined>;
  /** Writes the snapshot unless the stored one has a later position.createdAt; returns whether it was written. */
  saveSnapshot(snapshot: LinearSnapshot): Promise<boolean>;
}

/**
 * Offline evaluations (src/evaluation). A running evaluation saves its record now and then; the
 * save's time is its heartbeat, so any instance can tell a run whose process died (no heartbeat
 * for a while) from one still running elsewhere.
 */
export interface EvaluationStore {
  /** Ids are generated (UUIDs); a taken id is a database error. */
  create(record: EvaluationRecord, now: number): Promise<void>;
  get(id: string): Promise<EvaluationRecord | undefined>;
  /** Newest first (ties by id); one experiment's when experimentId is given. */
  list(options?: { experimentId?: string }): Promise<EvaluationRecord[]>;
  /**
   * Replaces the record and beats its heart (heartbeat = now), unless it was deleted or has
   * already finished (succeeded/failed records are final); returns whether it was written.
   */
  save(record: EvaluationRecord, now: number): Promise<boolean>;
  /** Returns false when there was no such evaluation. */
  delete(id: string): Promise<boolean>;
  /**
   * Marks pending and running evaluations whose last heartbeat is before `staleBefore` failed
   * with `error` (finishedAt = now); returns their ids.
   */
  failStale(staleBefore: number, error: { code: string; message: string }, now: number): Promise<string[]>;
}

/** Reads and deletes of one experiment's logs for the Personalizer-compatible API (src/personalizer). */
export interface LoopStore {
  /** Oldest and newest decision times (ms) of the experiment, or null when it has none. */
  logDateRange(experimentId: string): Promise<{ from: number; to: number } | null>;
  /** Deletes the experiment's decisions and rewards (posteriors, group stats and models stay). */
  deleteLogs(experimentId: string): Promise<{ decisions: number; rewards: number }>;
  /**
   * Rewards that counted for learning (applied_at in [from, to)), summed per time bucket of
   * bucketMs starting at from; buckets without rewards are left out; in time order.
   */
  rewardBuckets(
    experimentId: string,
    range: { from: number; to: number; bucketMs: number },
  ): Promise<{ start: number; rewards: number; rewardSum: number }[]>;
  /** Event ids of the experiment's decisions that start with prefix (at most limit, in id order). */
  eventIdsWithPrefix(experimentId: string, prefix: string, limit: number): Promise<string[]>;
}

export interface Stores {
  readonly dialect: "sqlite" | "postgres";
  experimentStore: ExperimentStore;
  eventStore: EventStore;
  keyStore: KeyStore;
  loopStore: LoopStore;
  /** Linear experiments: the learning log and model snapshots. */
  linearStore: LinearStore;
  /** Sponsored Products bid optimizer: profiles, keywords, reports, plans, schedules. */
  adsStore: AdsStore;
  /** Offline (counterfactual) evaluations of candidate policies. */
  evaluationStore: EvaluationStore;
  /** Applies pending migrations (idempotent, safe when several instances start at once). */
  migrate(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

// ---- Sponsored Products bid optimizer (src/apps/ads/service) ---------------------------------

/**
 * An advertising profile and how to reach it. The LWA application (client id and secret) comes
 * from the configuration only; a profile may carry its own refresh token (an advertiser's grant,
 * which the API needs for every call and which cannot be hashed), null = the configured one.
 */
export interface AdsProfileRecord {
  profileId: string;
  countryCode: string;
  currencyCode: string;
  timezone: string;
  accountName: string;
  region: "NA" | "EU" | "FE";
  /** null: the region's (or the configured) default. */
  apiBaseUrl: string | null;
  tokenUrl: string | null;
  refreshToken: string | null;
  syncedAt: number | null;
  createdAt: number;
}

/** A keyword as last synced (ids are exact decimal strings). */
export interface AdsKeywordRecord extends KeywordInfo {
  profileId: string;
  syncedAt: number;
}

/** One keyword-day of an spTargeting report, as known when last synced (sales are restated for 14 days). */
export interface AdsKeywordDayRecord extends Omit<KeywordDay, "bid"> {
  profileId: string;
}

export type AdsPlanStatus = "dryRun" | "approved" | "executing" | "executed" | "failed";

export interface AdsPlanRecord {
  id: string;
  profileId: string;
  /** The day the plan is for (YYYY-MM-DD, profile time). */
  today: string;
  status: AdsPlanStatus;
  /** OptimizerSettings plus the run's own (autoExecute, minConfidence, scheduleId), as JSON-able data. */
  settings: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  /** Why the last execution failed as a whole, else null. */
  error: string | null;
}

/**
 * pending: not pushed; pushing: marked before the PUT (a crash leaves it so: the live bid decides);
 * succeeded / failed: the 207 outcome; unchanged: the live bid already was the proposed one;
 * skipped: not executed (hold, or below minConfidence).
 */
export type AdsItemExecution = "pending" | "pushing" | "succeeded" | "failed" | "unchanged" | "skipped";

/** A plan's keyword: the optimizer's PlanItem and what execution made of it. */
export interface AdsPlanItemRecord extends PlanItem {
  planId: string;
  profileId: string;
  execution: AdsItemExecution;
  /** Amazon's error type/reason of a failed item (or the request error's code). */
  errorCode: string | null;
  errorMessage: string | null;
  executedAt: number | null;
  /** When the bandit decision was activated (the change took effect), else null. */
  activatedAt: number | null;
  rewardedAt: number | null;
  rewardValue: number | null;
}

export type AdsItemOutcome = Pick<AdsPlanItemRecord, "keywordId" | "execution" | "errorCode" | "errorMessage"> & {
  executedAt?: number | null;
};

/** An executed bid change (pushed and accepted). */
export interface AdsChangeRecord extends ExecutedChange {
  profileId: string;
  planId: string;
  executedAt: number;
  rewardedAt: number | null;
}

export type AdsCadence = "hourly" | "daily" | "weekly";

export interface AdsScheduleRecord {
  id: string;
  profileId: string;
  cadence: AdsCadence;
  strategy: "aggressive" | "balanced" | "conservative";
  targetAcos: number;
  autoExecute: boolean;
  minConfidence: number;
  enabled: boolean;
  /** When the next run is due (ms). */
  nextRunAt: number;
  lastRunAt: number | null;
  lastPlanId: string | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export type AdsSchedulePatch = Partial<
  Pick<AdsScheduleRecord, "cadence" | "strategy" | "targetAcos" | "autoExecute" | "minConfidence" | "enabled">
> &
  Partial<Pick<AdsScheduleRecord, "nextRunAt" | "lastRunAt" | "lastPlanId" | "lastError">>;

export interface AdsStore {
  upsertProfile(profile: AdsProfileRecord): Promise<void>;
  getProfile(profileId: string): Promise<AdsProfileRecord | undefined>;
  listProfiles(): Promise<AdsProfileRecord[]>;
  setProfileSynced(profileId: string, now: number): Promise<void>;
  /** Inserts or replaces by keywordId. */
  upsertKeywords(keywords: readonly AdsKeywordRecord[]): Promise<void>;
  listKeywords(profileId: string): Promise<AdsKeywordRecord[]>;
  getKeyword(keywordId: string): Promise<AdsKeywordRecord | undefined>;
  /** Inserts or replaces by (keywordId, date): restated sales overwrite earlier figures. */
  upsertKeywordDays(days: readonly AdsKeywordDayRecord[]): Promise<void>;
  /** Days of a profile (optionally from `from`, inclusive), by date then keyword id. */
  keywordDays(profileId: string, options?: { from?: string; keywordId?: string }): Promise<AdsKeywordDayRecord[]>;
  /** Plan and items in one transaction. Throws BANDITRY_CONFLICT when the id exists. */
  createPlan(plan: AdsPlanRecord, items: readonly AdsPlanItemRecord[]): Promise<void>;
  getPlan(planId: string): Promise<AdsPlanRecord | undefined>;
  /** Newest first. */
  listPlans(options?: { profileId?: string; limit?: number }): Promise<AdsPlanRecord[]>;
  /** Compare-and-set: true when the plan was in one of `from` and now has `to`. */
  setPlanStatus(
    planId: string,
    from: readonly AdsPlanStatus[],
    to: AdsPlanStatus,
    now: number,
    error?: string | null,
  ): Promise<boolean>;
  planItems(planId: string): Promise<AdsPlanItemRecord[]>;
  /** Sets each keyword's execution outcome in the plan (one transaction). */
  setItemOutcomes(planId: string, outcomes: readonly AdsItemOutcome[], now: number): Promise<void>;
  /**
   * Marks items succeeded and records their changes, in one transaction; a change already
   * recorded for (planId, keywordId) is kept (idempotent).
   */
  recordExecuted(planId: string, changes: readonly AdsChangeRecord[], now: number): Promise<void>;
  markActivated(planId: string, keywordIds: readonly string[], now: number): Promise<void>;
  /** Executed changes of a profile (optionally one keyword), oldest first. */
  listChanges(profileId: string, options?: { keywordId?: string }): Promise<AdsChangeRecord[]>;
  /** Marks the changes (and their plan items) of these events rewarded. */
  markRewarded(rewards: readonly { eventId: string; value: number }[], now: number): Promise<void>;
  /** Plan items of a keyword, newest plan first. */
  keywordItems(keywordId: string, limit: number): Promise<AdsPlanItemRecord[]>;
  createSchedule(schedule: AdsScheduleRecord): Promise<void>;
  getSchedule(id: string): Promise<AdsScheduleRecord | undefined>;
  listSchedules(options?: { profileId?: string }): Promise<AdsScheduleRecord[]>;
  /** Returns the updated schedule, undefined when there is none. */
  updateSchedule(id: string, patch: AdsSchedulePatch, now: number): Promise<AdsScheduleRecord | undefined>;
  /** Claims a due run: moves nextRunAt from `expected` to `next`; false when another instance did first. */
  claimScheduleRun(id: string, expected: number, next: number): Promise<boolean>;
  deleteSchedule(id: string): Promise<boolean>;
  /**
   * Takes or renews the lease `name` for `holder` until now + ttlMs when it is free, expired or
   * already the holder's; true when the holder has it afterwards.
   */
  acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
}

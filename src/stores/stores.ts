import type { Decision, Reward } from "../domain/decision.js";
import type { Arm, ArmState, Experiment, Group, RewardAggregation } from "../domain/experiment.js";

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
 * experimentId, segment, armId and group repeat the decision's (the engine has them in memory);
 * the store counts a reward for the stored decision's own values.
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

export interface EventStore {
  commit(batch: CommitBatch): Promise<CommitResult>;
  getDecisions(eventIds: readonly string[]): Promise<Map<string, Decision>>;
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

export interface Stores {
  readonly dialect: "sqlite" | "postgres";
  experimentStore: ExperimentStore;
  eventStore: EventStore;
  keyStore: KeyStore;
  /** Applies pending migrations (idempotent, safe when several instances start at once). */
  migrate(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

import type { RankedArm } from "../domain/decision.js";
import type { ArmState, Experiment, Group } from "../domain/experiment.js";
import type { LinearRankState, PreparedLinearDecision } from "./linear/linear-rank-state.js";

/**
 * What the HTTP layer and the CLI need from the engine. The engine implements it; routes
 * depend on this interface only.
 */

export interface DecideInput {
  experimentId: string;
  /** Client-given event id (≤ 256 chars) or generated. */
  eventId?: string;
  context?: Record<string, unknown>;
  unitId?: string;
  /** Rank k arms instead of choosing one (default 1). */
  k?: number;
  /** false = deferred activation: the decision counts for learning only once activated. */
  activate?: boolean;
  /** Compute selection probabilities (propensities) even when k = 1. */
  propensities?: boolean;
  /**
   * Linear experiments: the actions offered (ids ≤ 256 chars, features nested JSON). An id the
   * experiment does not know yet becomes an arm (Personalizer creates actions on first sight).
   */
  actions?: { id: string; features?: unknown }[];
  /** Linear experiments: the context features (a nested JSON object or a list of namespace objects); `context` when absent. */
  contextFeatures?: unknown;
  /** Linear experiments: offered ids that must not be chosen (probability 0, still listed in the ranking). */
  excludedActions?: string[];
  /** Linear experiments: the action apprentice and logging-only modes serve (default: the first offered). */
  baselineAction?: string;
  /** Linear experiments: return per-feature contributions to each action's score. */
  explain?: boolean;
  /**
   * Linear experiments: the decision, made elsewhere from linearRankState(), to log as is
   * (the other linear fields are then not read). Throws StaleLinearState when the
   * experiment's settings changed since that state was taken.
   */
  prepared?: PreparedLinearDecision;
}

export interface FeatureScore {
  /** Readable feature name, e.g. `ctx.user.type=new*act.id=a3`. */
  name: string;
  /** The feature's contribution (value × weight) to the action's mean score. */
  score: number;
}

export interface ActionExplanation {
  armId: string;
  /** Posterior mean score of the action in this context. */
  score: number;
  /** Largest |score| first. */
  features: FeatureScore[];
}

export interface DecideResult {
  eventId: string;
  arm: { id: string; value: unknown };
  ranking?: RankedArm[];
  group: Group;
  segment: string;
  propensity: number | null;
  seed: number;
  /** Linear experiments with explain: per offered action (chosen first), its feature contributions. */
  explanation?: ActionExplanation[];
}

export type RewardItemStatus = "applied" | "stored" | "duplicate" | "unknown" | "invalid";

export interface RewardItemResult {
  eventId: string;
  status: RewardItemStatus;
  error?: { code: string; message: string; field?: string };
}

export interface ArmStats {
  armId: string;
  state: ArmState;
  pulls: number;
  rewards: number;
  rewardSum: number;
  mean: number;
  lower: number;
  upper: number;
  probabilityBest: number;
  expectedLoss: number;
}

export interface SegmentStats {
  segment: string;
  arms: ArmStats[];
}

export interface GroupComparison {
  group: Group;
  decisions: number;
  rewards: number;
  mean: number | null;
  lower: number | null;
  upper: number | null;
}

export interface ExperimentStats {
  experimentId: string;
  /** The experiment-wide segment "*" first, then the busiest context segments. */
  segments: SegmentStats[];
  /** Number of segments with data, including "*" (segments may list fewer). */
  segmentsTotal: number;
  groups: GroupComparison[];
  /** Bandit minus control mean reward, with a 95% credible interval; null without control data. */
  uplift: { mean: number; lower: number; upper: number; probabilityPositive: number } | null;
  /** Linear experiments. */
  linear?: LinearStats;
}

export interface LinearStats {
  /** Weighted rewards learned from (after decay). */
  learnedRewards: number;
  /** Apprentice mode: decisions where the model's own choice was computed, and how many matched the baseline served. */
  apprentice: { decisions: number; agreed: number } | null;
  /** Largest |weight| first. */
  topFeatures: { name: string; weight: number }[];
}

export interface ExperimentInput {
  id: string;
  name?: string;
  arms: { id: string; label?: string; value?: unknown }[];
  reward: "bernoulli" | "gaussian";
  policy?: string;
  policyOptions?: Record<string, unknown>;
  prior?: Record<string, unknown>;
  decayHalfLife?: number | null;
  segmentKeys?: string[];
  segmentPseudoCount?: number;
  control?: { share: number; policy?: "uniform"; arm?: string } | null;
  rewardWaitSeconds?: number | null;
  defaultReward?: number | null;
  rewardAggregation?: "earliest" | "sum";
  context?: "segments" | "linear";
  linear?: Record<string, unknown> | null;
  explorationShare?: number;
  learningMode?: "online" | "apprentice" | "loggingOnly";
  metadata?: Record<string, unknown>;
}

export type ExperimentUpdate = Partial<Omit<ExperimentInput, "id" | "arms" | "reward">>;

export interface DecisionService {
  createExperiment(input: unknown): Promise<Experiment>;
  listExperiments(options?: { includeArchived?: boolean }): Promise<Experiment[]>;
  /** Throws BANDITRY_EXPERIMENT_NOT_FOUND. */
  getExperiment(id: string): Promise<Experiment>;
  updateExperiment(id: string, update: unknown): Promise<Experiment>;
  archiveExperiment(id: string): Promise<Experiment>;
  addArm(experimentId: string, arm: unknown): Promise<Experiment>;
  setArmState(experimentId: string, armId: string, state: unknown): Promise<Experiment>;
  /** Resolves once the decision is durable. */
  decide(input: DecideInput): Promise<DecideResult>;
  /**
   * What a linear decision of this experiment can be made from elsewhere (another thread), with
   * a fresh seed; undefined when it cannot (not linear, archived, a control group, or the exact
   * policy). The decision is then logged by decide() with `prepared`.
   */
  linearRankState?(experimentId: string): Promise<LinearRankState | undefined>;
  /** Resolves once durable; throws BANDITRY_EVENT_NOT_FOUND, BANDITRY_REWARD_EXISTS, BANDITRY_INVALID_REWARD. */
  reward(eventId: string, value: unknown): Promise<void>;
  rewardBatch(items: readonly { eventId: unknown; value: unknown }[]): Promise<RewardItemResult[]>;
  /** Throws BANDITRY_EVENT_NOT_FOUND. */
  activate(eventId: string): Promise<void>;
  stats(experimentId: string): Promise<ExperimentStats>;
  /** Linear experiments (else BANDITRY_NOT_LINEAR): the model's state (LinearThompsonJSON) and its dates. */
  exportModel(experimentId: string): Promise<LinearModelExport>;
  /** Linear experiments: forget what the model learned (the logs stay); every instance follows. */
  resetModel(experimentId: string): Promise<void>;
  /**
   * Linear experiments: reads the learning log's tail, then saves the model as a snapshot at its
   * log position, so a restart loses nothing learned even when the logs are deleted after it.
   */
  saveModel(experimentId: string): Promise<void>;
}

export interface LinearModelExport {
  experimentId: string;
  /** LinearThompsonJSON. */
  model: unknown;
  learnedRewards: number;
  /** When the model was created or last reset (ms). */
  createdAt: number;
  /** When it last learned (ms). */
  updatedAt: number;
}

import type { RankedArm } from "../domain/decision.js";
import type { ArmState, Experiment, Group } from "../domain/experiment.js";

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
}

export interface DecideResult {
  eventId: string;
  arm: { id: string; value: unknown };
  ranking?: RankedArm[];
  group: Group;
  segment: string;
  propensity: number | null;
  seed: number;
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
  /** Resolves once durable; throws BANDITRY_EVENT_NOT_FOUND, BANDITRY_REWARD_EXISTS, BANDITRY_INVALID_REWARD. */
  reward(eventId: string, value: unknown): Promise<void>;
  rewardBatch(items: readonly { eventId: unknown; value: unknown }[]): Promise<RewardItemResult[]>;
  /** Throws BANDITRY_EVENT_NOT_FOUND. */
  activate(eventId: string): Promise<void>;
  stats(experimentId: string): Promise<ExperimentStats>;
}

import type { PolicyKind, PolicyOptions } from "../stats/policies/policy.js";
import type { BetaPrior, GaussianPrior } from "../stats/posteriors/posterior.js";

export type RewardModel = "bernoulli" | "gaussian";
export type ArmState = "active" | "paused" | "retired";
export type RewardAggregation = "earliest" | "sum";
export type ExperimentStatus = "active" | "archived";
export type Group = "bandit" | "control";
/** Contextual handling: discrete segments (segmentKeys, possibly none) or a linear model over features. */
export type ContextMode = "segments" | "linear";
/**
 * Linear experiments (Personalizer's learningMode): online = serve the model's choice;
 * apprentice = serve the baseline (the first offered action), learn in the background and count
 * how often the model would have agreed; loggingOnly = serve the baseline, log, do not learn.
 */
export type LearningMode = "online" | "apprentice" | "loggingOnly";

export interface Arm {
  id: string;
  label: string | null;
  /** Opaque JSON the application attaches to the arm, e.g. {"multiplier": 1.2}. */
  value: unknown;
  state: ArmState;
  createdAt: number;
}

/** A share of units served by a control policy instead of the bandit (A/B holdout). */
export interface ControlConfig {
  share: number;
  /** Either a policy (uniform) or a fixed arm. */
  policy?: "uniform";
  arm?: string;
}

export interface ExperimentConfig {
  reward: RewardModel;
  policy: PolicyKind;
  policyOptions: PolicyOptions;
  prior: BetaPrior | GaussianPrior;
  /** Seconds; null = stationary. */
  decayHalfLife: number | null;
  /** Context keys whose values form the segment; [] = one global segment. */
  segmentKeys: string[];
  /** How much the experiment-wide posterior is worth to a new segment, in observations. */
  segmentPseudoCount: number;
  control: ControlConfig | null;
  /** Seconds after which an unrewarded decision gets the default reward; null = never. */
  rewardWaitSeconds: number | null;
  defaultReward: number | null;
  rewardAggregation: RewardAggregation;
  /** "segments" (default) or "linear" (decisions take context features and actions with features). */
  context: ContextMode;
  /** Linear experiments: LinearThompsonOptions (dimension, lambda, …); null for segment experiments. */
  linear: Record<string, unknown> | null;
  /**
   * Share of decisions (0..1) served uniformly at random among the eligible arms instead of by
   * the policy (Personalizer's explorationPercentage); the logged propensity includes the mix.
   */
  explorationShare: number;
  learningMode: LearningMode;
  /** Application settings kept with the experiment (e.g. a Personalizer loop's service configuration). */
  metadata: Record<string, unknown>;
}

export interface Experiment extends ExperimentConfig {
  id: string;
  name: string;
  status: ExperimentStatus;
  arms: Arm[];
  createdAt: number;
  updatedAt: number;
}

/** The segment that holds the experiment-wide posterior every segment borrows from. */
export const GLOBAL_SEGMENT = "*";

import type { PolicyKind, PolicyOptions } from "../stats/policies/policy.js";
import type { BetaPrior, GaussianPrior } from "../stats/posteriors/posterior.js";

export type RewardModel = "bernoulli" | "gaussian";
export type ArmState = "active" | "paused" | "retired";
export type RewardAggregation = "earliest" | "sum";
export type ExperimentStatus = "active" | "archived";
export type Group = "bandit" | "control";
/** Contextual handling: none, discrete segments (segmentKeys), or linear features (later). */
export type ContextMode = "segments" | "linear";

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

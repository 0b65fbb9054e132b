import type { Rng } from "../rng.js";

export type EstimatorKind = "ips" | "snips" | "dr";

/** A point estimate of the target policy's value (mean reward per record) with its uncertainty. */
export interface OffPolicyEstimate {
  estimator: EstimatorKind;
  value: number;
  standardError: number;
  /** Confidence interval at `level`: normal approximation, or bootstrap percentiles. */
  lower: number;
  upper: number;
  level: number;
  interval: "normal" | "bootstrap";
  /** Bootstrap replicates behind the interval (0 for the normal approximation). */
  replicates: number;
  records: number;
  /** Kish's effective sample size (Σw)² / Σw²: how many on-policy records the weights are worth. */
  effectiveSampleSize: number;
  maxWeight: number;
  /** Mean importance weight; near 1 when the propensities are right and nothing is clipped. */
  meanWeight: number;
  /** Weights lowered by the clip. */
  clippedWeights: number;
}

export interface BootstrapOptions {
  /** Seeded generator for the resampling. */
  rng: Rng;
  /** Resamples of the records (default 1000). */
  replicates?: number;
}

export interface EstimateOptions {
  /** Confidence level (default 0.95). */
  level?: number;
  /** Maximum importance weight; unclipped when omitted. */
  clip?: number;
  /** Bootstrap percentile interval instead of the normal approximation. */
  bootstrap?: BootstrapOptions;
}

export const DEFAULT_LEVEL = 0.95;
export const DEFAULT_BOOTSTRAP_REPLICATES = 1000;

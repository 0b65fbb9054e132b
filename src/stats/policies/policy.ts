import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";

export type PolicyKind = "thompson" | "top-two-thompson" | "ucb1" | "epsilon-greedy" | "uniform";

export interface PolicyOptions {
  /** epsilon-greedy: exploration probability (default 0.1). */
  epsilon?: number;
  /** top-two-thompson: probability of playing the leader (default 0.5). */
  topTwoBeta?: number;
  /** ucb1: exploration constant c in mean + c·sqrt(2 ln t / n) (default 1). */
  ucbC?: number;
}

/**
 * A policy scores arms for one decision; the chosen arm is the highest score and a
 * ranking is the scores in descending order (ties broken by the rng, see src/stats/ranking).
 * Scoring fills a caller-owned buffer so the hot path does not allocate: `out` may be longer
 * than `arms`, only its first `arms.length` entries are written. Scores are never NaN.
 */
export interface Policy {
  readonly kind: PolicyKind;
  score(arms: readonly Posterior[], rng: Rng, out: Float64Array): void;
  /**
   * Exact probability of each arm being chosen first, when the policy knows it in closed
   * form (uniform, epsilon-greedy, ucb1). Returns false when Monte Carlo must be used.
   */
  exactProbabilities?(arms: readonly Posterior[], out: Float64Array): boolean;
}

export type PolicyFactory = (options: PolicyOptions) => Policy;

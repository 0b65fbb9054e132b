import type { Policy } from "../policies/policy.js";
import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";
import { requireArms } from "./require-arms.js";
import { requireDraws } from "./require-draws.js";
import { requireK } from "./require-k.js";
import { selectTopK } from "./select-top-k.js";
import {
  DEFAULT_PROPENSITY_DRAWS,
  type ProbabilityOptions,
  selectionProbabilities,
} from "./selection-probabilities.js";

export interface RankProbabilities {
  k: number;
  /**
   * byPosition[slot][arm] = P(arm is shown at slot), slot < k; each row sums to 1. An
   * offline evaluator logs byPosition[j][shown[j]] as the propensity of the arm at slot j
   * (position-wise inverse propensity scoring).
   */
  byPosition: Float64Array[];
  /** P(arm is in the top k) = Σ over slots; sums to k. For set-valued (unordered) estimators. */
  inTopK: Float64Array;
  /** Max over all cells of sqrt(p(1 − p) / draws); 0 when exact. */
  standardError: number;
  /** Monte Carlo draws used; 0 when exact. */
  draws: number;
  exact: boolean;
}

/**
 * Propensities of a top-k ranking. Exact for k = 1 when the policy knows its choice
 * probabilities, otherwise Monte Carlo over `draws` rankings from the same posteriors.
 */
export function rankProbabilities(
  policy: Policy,
  arms: readonly Posterior[],
  k: number,
  rng: Rng,
  options: ProbabilityOptions = {},
): RankProbabilities {
  requireArms(arms);
  requireK(k, arms.length);
  const draws = requireDraws(options.draws ?? DEFAULT_PROPENSITY_DRAWS);
  const n = arms.length;
  if (k === 1) {
    const first = selectionProbabilities(policy, arms, rng, options);
    return {
      k,
      byPosition: [first.probabilities],
      inTopK: Float64Array.from(first.probabilities),
      standardError: first.standardError,
      draws: first.draws,
      exact: first.exact,
    };
  }
  const byPosition = Array.from({ length: k }, () => new Float64Array(n));
  const scores = options.scratch !== undefined && options.scratch.length >= n ? options.scratch : new Float64Array(n);
  const order = new Int32Array(n);
  for (let d = 0; d < draws; d++) {
    policy.score(arms, rng, scores);
    selectTopK(scores, n, k, rng, order);
    for (let slot = 0; slot < k; slot++) byPosition[slot]![order[slot]!]! += 1;
  }
  const inTopK = new Float64Array(n);
  let variance = 0;
  for (const row of byPosition) {
    for (let i = 0; i < n; i++) {
      const p = row[i]! / draws;
      row[i] = p;
      inTopK[i]! += p;
      variance = Math.max(variance, p * (1 - p));
    }
  }
  for (let i = 0; i < n; i++) variance = Math.max(variance, inTopK[i]! * (1 - inTopK[i]!));
  return { k, byPosition, inTopK, standardError: Math.sqrt(variance / draws), draws, exact: false };
}

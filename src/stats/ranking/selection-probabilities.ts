import type { Policy } from "../policies/policy.js";
import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";
import { chooseArm } from "./choose-arm.js";
import { requireArms } from "./require-arms.js";
import { requireDraws } from "./require-draws.js";

export const DEFAULT_PROPENSITY_DRAWS = 1000;

export interface ProbabilityOptions {
  /** Monte Carlo draws when no exact form is known (default 1000). */
  draws?: number;
  /** Ignore the policy's exact probabilities (to test the Monte Carlo path). */
  forceMonteCarlo?: boolean;
  /** Buffer for the scores of each draw (at least arms.length entries), as in chooseArm. */
  scratch?: Float64Array;
}

export interface SelectionProbabilities {
  /** P(arm is chosen first), per arm; sums to 1. */
  probabilities: Float64Array;
  /** Max over arms of sqrt(p(1 − p) / draws) at the estimated p (plug-in); 0 when exact. */
  standardError: number;
  /** Monte Carlo draws used; 0 when exact. */
  draws: number;
  exact: boolean;
}

/**
 * Propensities: each arm's probability of being chosen by the policy under the current
 * posteriors. Exact when the policy knows them (or there is one arm), otherwise the share of
 * `draws` independent decisions, drawn from the same posteriors with the given rng.
 */
export function selectionProbabilities(
  policy: Policy,
  arms: readonly Posterior[],
  rng: Rng,
  options: ProbabilityOptions = {},
): SelectionProbabilities {
  requireArms(arms);
  const draws = requireDraws(options.draws ?? DEFAULT_PROPENSITY_DRAWS);
  const n = arms.length;
  const probabilities = new Float64Array(n);
  if (n === 1) {
    probabilities[0] = 1;
    return { probabilities, standardError: 0, draws: 0, exact: true };
  }
  if (!options.forceMonteCarlo && policy.exactProbabilities?.(arms, probabilities)) {
    return { probabilities, standardError: 0, draws: 0, exact: true };
  }
  probabilities.fill(0); // a policy that declined may have written into it
  const scratch = options.scratch !== undefined && options.scratch.length >= n ? options.scratch : new Float64Array(n);
  for (let d = 0; d < draws; d++) probabilities[chooseArm(policy, arms, rng, scratch)]! += 1;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i]! / draws;
    probabilities[i] = p;
    variance = Math.max(variance, p * (1 - p));
  }
  return { probabilities, standardError: Math.sqrt(variance / draws), draws, exact: false };
}

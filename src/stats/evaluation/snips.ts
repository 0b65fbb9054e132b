import type { EstimatorTerms } from "./estimator-terms.js";
import { importanceWeights } from "./importance-weights.js";
import { type LoggedDecisions, validateLoggedDecisions } from "./logged-decisions.js";
import type { EstimateOptions, OffPolicyEstimate } from "./off-policy-estimate.js";
import { summarizeTerms } from "./summarize-terms.js";
import { type TargetPolicy, validateTargetPolicy } from "./target-policy.js";

/** SNIPS terms: numerators w_i·r_i over denominators w_i. */
export function snipsTerms(data: LoggedDecisions, target: TargetPolicy, clip?: number): EstimatorTerms {
  const { weights, clipped } = importanceWeights(data, target, clip);
  const numerators = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) numerators[i] = weights[i]! * data.rewards[i]!;
  return { estimator: "snips", numerators, denominators: weights, weights, clipped };
}

/**
 * Self-normalized IPS: V̂ = Σ w_i r_i / Σ w_i. Slightly biased (O(1/n)) but invariant to a
 * reward shift and of lower variance than IPS when the weights are uneven; equal to IPS when
 * the weights average to 1. Standard error by the delta method.
 */
export function snips(data: LoggedDecisions, target: TargetPolicy, options: EstimateOptions = {}): OffPolicyEstimate {
  validateTargetPolicy(target, validateLoggedDecisions(data));
  return summarizeTerms(snipsTerms(data, target, options.clip), options);
}

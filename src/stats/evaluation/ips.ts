import type { EstimatorTerms } from "./estimator-terms.js";
import { importanceWeights } from "./importance-weights.js";
import { type LoggedDecisions, validateLoggedDecisions } from "./logged-decisions.js";
import type { EstimateOptions, OffPolicyEstimate } from "./off-policy-estimate.js";
import { summarizeTerms } from "./summarize-terms.js";
import { type TargetPolicy, validateTargetPolicy } from "./target-policy.js";

/** IPS terms w_i·r_i: unbiased when the propensities are right and nothing is clipped. */
export function ipsTerms(data: LoggedDecisions, target: TargetPolicy, clip?: number): EstimatorTerms {
  const { weights, clipped } = importanceWeights(data, target, clip);
  const numerators = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) numerators[i] = weights[i]! * data.rewards[i]!;
  return { estimator: "ips", numerators, weights, clipped };
}

/** Inverse propensity scoring: V̂ = (1/n) Σ w_i r_i with w_i = π_e(a_i|x_i) / π_b(a_i|x_i). */
export function ips(data: LoggedDecisions, target: TargetPolicy, options: EstimateOptions = {}): OffPolicyEstimate {
  validateTargetPolicy(target, validateLoggedDecisions(data));
  return summarizeTerms(ipsTerms(data, target, options.clip), options);
}

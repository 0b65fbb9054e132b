import type { EstimatorTerms } from "./estimator-terms.js";
import { importanceWeights } from "./importance-weights.js";
import { invalid, type LoggedDecisions, validateLoggedDecisions } from "./logged-decisions.js";
import type { EstimateOptions, OffPolicyEstimate } from "./off-policy-estimate.js";
import type { RewardModel } from "./reward-model.js";
import { summarizeTerms } from "./summarize-terms.js";
import { type TargetPolicy, validateTargetPolicy } from "./target-policy.js";

/** DR terms Σ_a π_e(a|x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i)). */
export function drTerms(
  data: LoggedDecisions,
  target: TargetPolicy,
  rewardModel: RewardModel,
  clip?: number,
): EstimatorTerms {
  const distribution = target.distribution;
  if (distribution === undefined) {
    throw invalid("target.distribution", "the doubly robust estimator needs the target's full action distribution");
  }
  const { weights, clipped } = importanceWeights(data, target, clip);
  const numerators = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const row = distribution(i);
    let direct = 0;
    for (let a = 0; a < row.length; a++) {
      const p = row[a]!;
      if (p !== 0) direct += p * predict(rewardModel, i, a);
    }
    const a = data.actions[i]!;
    numerators[i] = direct + weights[i]! * (data.rewards[i]! - predict(rewardModel, i, a));
  }
  return { estimator: "dr", numerators, weights, clipped };
}

function predict(model: RewardModel, record: number, action: number): number {
  const q = model.predict(record, action);
  if (!Number.isFinite(q)) {
    throw invalid("rewardModel", `rewardModel.predict(${record}, ${action}) must be a finite number, got ${q}`);
  }
  return q;
}

/**
 * Doubly robust: the reward model's prediction for the target, corrected by the importance-
 * weighted residuals. Unbiased when the propensities are right whatever the model (as long as
 * the model's prediction for a record does not use that record's reward: see
 * fitActionMeanRewardModel's cross-fitting), with less variance the better the model.
 */
export function doublyRobust(
  data: LoggedDecisions,
  target: TargetPolicy,
  rewardModel: RewardModel,
  options: EstimateOptions = {},
): OffPolicyEstimate {
  validateTargetPolicy(target, validateLoggedDecisions(data));
  return summarizeTerms(drTerms(data, target, rewardModel, options.clip), options);
}

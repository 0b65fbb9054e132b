import { type ActionMeanOptions, fitActionMeanRewardModel } from "./action-mean-reward-model.js";
import { drTerms } from "./doubly-robust.js";
import type { EstimatorTerms } from "./estimator-terms.js";
import { ipsTerms } from "./ips.js";
import { invalid, type LoggedDecisions, validateLoggedDecisions } from "./logged-decisions.js";
import type { EstimateOptions, EstimatorKind, OffPolicyEstimate } from "./off-policy-estimate.js";
import type { RewardModel } from "./reward-model.js";
import { snipsTerms } from "./snips.js";
import { summarizeTerms } from "./summarize-terms.js";
import { type TargetPolicy, validateTargetPolicy } from "./target-policy.js";

export interface EvaluatePolicyOptions extends EstimateOptions {
  /** Default: IPS and SNIPS, and DR when the target gives its full action distribution. */
  estimators?: readonly EstimatorKind[];
  /** q̂ for DR; default fitActionMeanRewardModel(data, rewardModelOptions) (cross-fitted). */
  rewardModel?: RewardModel;
  rewardModelOptions?: ActionMeanOptions;
  /** Also estimate each position on its own records (default: when positions are logged). */
  byPosition?: boolean;
}

export type Estimates = Partial<Record<EstimatorKind, OffPolicyEstimate>>;

export interface PolicyEvaluation {
  records: number;
  /** Mean reward per record (per impression for slates) under the target policy. */
  estimates: Estimates;
  /** The same estimators on each position's records; absent unless requested/positions logged. */
  byPosition?: { position: number; records: number; estimates: Estimates }[];
  /** How DR's q̂ was obtained. */
  rewardModel?:
    | { kind: "action-mean"; folds: number; byPosition: boolean; priorStrengths: number[] }
    | { kind: "given" };
}

/**
 * IPS, SNIPS and DR of one target policy on one log, overall and per position: the one call
 * for an evaluation endpoint or command. Terms are computed once and summarised per subset.
 */
export function evaluatePolicy(
  data: LoggedDecisions,
  target: TargetPolicy,
  options: EvaluatePolicyOptions = {},
): PolicyEvaluation {
  const n = validateLoggedDecisions(data);
  validateTargetPolicy(target, n);
  const kinds = options.estimators ?? (target.distribution === undefined ? ["ips", "snips"] : ["ips", "snips", "dr"]);
  const result: PolicyEvaluation = { records: n, estimates: {} };
  const terms: EstimatorTerms[] = [];
  for (const kind of kinds) {
    if (kind === "ips") terms.push(ipsTerms(data, target, options.clip));
    else if (kind === "snips") terms.push(snipsTerms(data, target, options.clip));
    else if (kind === "dr") {
      let model = options.rewardModel;
      if (model === undefined) {
        const fitted = fitActionMeanRewardModel(data, options.rewardModelOptions);
        const { folds, byPosition, priorStrengths } = fitted;
        result.rewardModel = { kind: "action-mean", folds, byPosition, priorStrengths };
        model = fitted;
      } else {
        result.rewardModel = { kind: "given" };
      }
      terms.push(drTerms(data, target, model, options.clip));
    } else {
      throw invalid("estimators", `unknown estimator ${String(kind)} (expected ips, snips or dr)`);
    }
  }
  const summaryOptions = { level: options.level, bootstrap: options.bootstrap };
  for (const t of terms) result.estimates[t.estimator] = summarizeTerms(t, summaryOptions);

  const positions = data.positions;
  if (options.byPosition === true && positions === undefined) {
    throw invalid("positions", "byPosition needs logged positions");
  }
  if (positions !== undefined && options.byPosition !== false) {
    const bySlot = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const s = positions[i]!;
      const list = bySlot.get(s);
      if (list === undefined) bySlot.set(s, [i]);
      else list.push(i);
    }
    result.byPosition = [...bySlot.keys()]
      .sort((a, b) => a - b)
      .map((position) => {
        const subset = bySlot.get(position)!;
        const estimates: Estimates = {};
        // a position with a single record has no standard error: reported without estimates
        if (subset.length >= 2)
          for (const t of terms) estimates[t.estimator] = summarizeTerms(t, summaryOptions, subset);
        return { position, records: subset.length, estimates };
      });
  }
  return result;
}

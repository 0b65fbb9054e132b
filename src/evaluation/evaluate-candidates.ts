import { BanditryError } from "../domain/errors.js";
import { fitActionMeanRewardModel } from "../stats/evaluation/action-mean-reward-model.js";
import { evaluatePolicy } from "../stats/evaluation/evaluate-policy.js";
import type { LoggedDecisions } from "../stats/evaluation/logged-decisions.js";
import type { OffPolicyEstimate } from "../stats/evaluation/off-policy-estimate.js";
import { onPolicyValue } from "../stats/evaluation/on-policy-value.js";
import { targetFromDistribution } from "../stats/evaluation/target-policy.js";
import { hashString } from "../stats/linear/hash-feature.js";
import { createRng } from "../stats/rng.js";
import type { ExperimentRecord } from "../stores/stores.js";
import type { CandidateReplay } from "./candidate-replay.js";
import type { Estimate, EvaluationRecord, PolicyEvaluation } from "./evaluation-types.js";
import { LinearReplay } from "./linear-replay.js";
import type { LoggedRecord } from "./logged-record.js";
import type { ResolvedCandidate } from "./resolved-candidate.js";
import { SegmentReplay } from "./segment-replay.js";

export interface EvaluateCandidatesOptions {
  seed: number;
  /** Called between slices of work (about every `sliceMs`): persist progress, yield, or throw to stop. */
  checkpoint?: () => Promise<void>;
  sliceMs?: number;
  /** Features listed in featureImportance (default 10). */
  topFeatures?: number;
}

export type CandidatesResult = Pick<EvaluationRecord, "loggedAverageReward" | "loggedAverage" | "decisions"> & {
  results: PolicyEvaluation[];
};

/** Cross-fitting folds of DR's reward model (fewer when there are fewer decisions). */
const DR_FOLDS = 5;

const estimate = (e: OffPolicyEstimate | undefined): Estimate => ({
  value: e?.value ?? Number.NaN,
  lower: e?.lower ?? Number.NaN,
  upper: e?.upper ?? Number.NaN,
});

/**
 * IPS, SNIPS and DR of each candidate over the logged decisions that carry a propensity > 0
 * (and, for linear experiments, their features). Each candidate is replayed over the whole log
 * in time order: before each counted decision it gives π(·|its state), and it learns every
 * logged reward (decisions without a propensity included) once that reward's time has passed.
 */
export async function evaluateCandidates(
  experiment: ExperimentRecord,
  records: readonly LoggedRecord[],
  candidates: readonly ResolvedCandidate[],
  options: EvaluateCandidatesOptions,
): Promise<CandidatesResult> {
  const linear = experiment.context === "linear";
  // action indices: the experiment's arms, then ids met only in logged features
  const actionIndex = new Map<string, number>();
  const addAction = (id: string) => {
    if (!actionIndex.has(id)) actionIndex.set(id, actionIndex.size);
  };
  for (const a of experiment.arms) addAction(a.id);
  let withoutPropensity = 0;
  let withoutFeatures = 0;
  const counted: number[] = [];
  records.forEach((r, i) => {
    addAction(r.armId);
    for (const a of r.features?.actions ?? []) addAction(a.id);
    if (!(r.propensity !== null && r.propensity > 0 && r.propensity <= 1)) withoutPropensity++;
    else if (linear && !r.features?.actions.some((a) => a.id === r.armId)) withoutFeatures++;
    else counted.push(i);
  });
  const decisions = { total: records.length, withoutPropensity, withoutFeatures };
  const n = counted.length;
  if (n < 2) {
    throw new BanditryError(
      "BANDITRY_VALIDATION",
      `only ${n} of the ${records.length} logged decisions in [from, to) have a propensity${linear ? " and features" : ""}; at least 2 are needed`,
      { field: "from" },
    );
  }
  const data: LoggedDecisions = {
    actions: Int32Array.from(counted, (i) => actionIndex.get(records[i]!.armId)!),
    rewards: Float64Array.from(counted, (i) => records[i]!.reward),
    propensities: Float64Array.from(counted, (i) => records[i]!.propensity!),
  };
  const onPolicy = onPolicyValue(data.rewards);
  const rewardModel = fitActionMeanRewardModel(data, { folds: Math.min(DR_FOLDS, n) });
  // arms a context-free candidate may choose: not retired now, or logged in the range
  const logged = new Set(records.map((r) => r.armId));
  const arms = experiment.arms.filter((a) => a.state !== "retired" || logged.has(a.id)).map((a) => a.id);
  const learnOrder = records.map((_, i) => i).sort((a, b) => records[a]!.learnAt - records[b]!.learnAt || a - b);
  const start = records[0]?.createdAt ?? 0;
  const sliceMs = options.sliceMs ?? 200;

  const results: PolicyEvaluation[] = [];
  for (const candidate of candidates) {
    const replay: CandidateReplay =
      candidate.kind === "linear"
        ? new LinearReplay(candidate, actionIndex)
        : new SegmentReplay(candidate, experiment, arms, actionIndex, start);
    // seeded by the candidate itself: the same candidate gives the same figures wherever it is listed
    const rng = createRng(hashString(JSON.stringify(candidate.policy), options.seed >>> 0));
    const rows: { actions: number[]; probabilities: number[] }[] = new Array(n);
    let learned = 0;
    let sliceStart = performance.now();
    for (let k = 0; k < n; k++) {
      const record = records[counted[k]!]!;
      // rewards that had arrived before this decision
      while (learned < learnOrder.length && records[learnOrder[learned]!]!.learnAt < record.createdAt) {
        replay.learn(records[learnOrder[learned]!]!);
        learned++;
      }
      rows[k] = replay.distribution(record, rng);
      if (options.checkpoint !== undefined && performance.now() - sliceStart > sliceMs) {
        await options.checkpoint();
        sliceStart = performance.now();
      }
    }
    while (learned < learnOrder.length) replay.learn(records[learnOrder[learned++]!]!);

    const width = actionIndex.size;
    const dense = (k: number) => {
      const row = new Float64Array(width);
      const { actions, probabilities } = rows[k]!;
      for (let j = 0; j < actions.length; j++) row[actions[j]!]! += probabilities[j]!;
      return row;
    };
    const target = targetFromDistribution(data, dense);
    let sumWr = 0;
    let sumW = 0;
    for (let k = 0; k < n; k++) {
      const w = target.probabilities[k]! / data.propensities[k]!;
      sumW += w;
      sumWr += w * data.rewards[k]!;
    }
    // SNIPS is 0/0 when the candidate never takes a logged action: left out (NaN, null in JSON)
    const estimators = sumW > 0 ? (["ips", "snips", "dr"] as const) : (["ips", "dr"] as const);
    const evaluation = evaluatePolicy(data, target, { estimators, rewardModel });
    const result: PolicyEvaluation = {
      policy: candidate.policy,
      events: n,
      ips: estimate(evaluation.estimates.ips),
      snips: estimate(evaluation.estimates.snips),
      doublyRobust: estimate(evaluation.estimates.dr),
      ipsEstimatorNumerator: sumWr,
      ipsEstimatorDenominator: n,
      snipsEstimatorDenominator: sumW,
      effectiveSampleSize: evaluation.estimates.ips?.effectiveSampleSize ?? 0,
      ignoredArguments: candidate.ignored,
      monteCarloDraws: replay.monteCarloDraws,
    };
    if (replay.featureImportance !== undefined)
      result.featureImportance = replay.featureImportance(options.topFeatures ?? 10);
    results.push(result);
    await options.checkpoint?.();
  }
  return {
    loggedAverageReward: onPolicy.value,
    loggedAverage: { value: onPolicy.value, lower: onPolicy.lower, upper: onPolicy.upper },
    decisions,
    results,
  };
}

import { BanditryError } from "../../domain/errors.js";
import { evaluatePolicy, type PolicyEvaluation } from "../../stats/evaluation/evaluate-policy.js";
import type { EstimatorKind, OffPolicyEstimate } from "../../stats/evaluation/off-policy-estimate.js";
import { onPolicyValue, type ValueInterval } from "../../stats/evaluation/on-policy-value.js";
import { targetByPosition } from "../../stats/evaluation/target-policy.js";
import { createRng } from "../../stats/rng.js";
import { btsActionDistribution, DEFAULT_BTS_DRAWS } from "./bts-action-distribution.js";
import { defaultObdDir } from "./default-obd-dir.js";
import { loadBtsPrior } from "./load-bts-prior.js";
import { loadObdItemContext } from "./load-obd-item-context.js";
import { loadObdLogs } from "./load-obd-logs.js";
import { obdLoggedDecisions } from "./obd-logged-decisions.js";
import { OBD_CAMPAIGNS, type ObdCampaign } from "./obd-names.js";

export interface EvaluateObdOptions {
  /** Folder with random/, bts/ and prior_bts.json (default: defaultObdDir()). */
  dir?: string;
  /** Default: men and women. */
  campaigns?: readonly ObdCampaign[];
  /** Monte Carlo draws for the BTS action distribution (default 100,000). */
  draws?: number;
  /** Seed of the Monte Carlo (campaign c of OBD_CAMPAIGNS uses seed + c) and of the bootstrap. */
  seed?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Maximum importance weight (default: none). */
  clip?: number;
  /** Cross-fitting folds of DR's reward model (default 5). */
  folds?: number;
  /** Bootstrap resamples; normal-approximation intervals when omitted. */
  bootstrapReplicates?: number;
}

export type ObdEstimates = Record<EstimatorKind, OffPolicyEstimate>;

export interface ObdCampaignEvaluation {
  campaign: ObdCampaign;
  items: number;
  randomRecords: number;
  btsRecords: number;
  /** The target policy's π_e(item | position) and how it was obtained. */
  actionDistribution: {
    source: string;
    draws: number;
    seed: number;
    standardError: number;
    byPosition: number[][];
  };
  /** BTS click rate per impression estimated off-policy from the random logs. */
  estimates: ObdEstimates;
  byPosition: PolicyEvaluation["byPosition"];
  rewardModel: PolicyEvaluation["rewardModel"];
  /** BTS click rate observed on-policy in the bts logs. */
  onPolicy: ValueInterval;
  /** The same per position (1, 2, 3). */
  onPolicyByPosition: { position: number; value: ValueInterval }[];
  /** The random policy's own click rate (random logs). */
  randomPolicy: ValueInterval;
  /** Whether onPolicy.value lies inside each estimator's interval. */
  onPolicyInside: Record<EstimatorKind, boolean>;
  /** Propensities logged in bts/ against the Monte Carlo π_e of the same (item, position). */
  btsLoggedPropensities: { meanLogged: number; meanMonteCarlo: number; meanAbsoluteDifference: number };
  timingsMs: { load: number; monteCarlo: number; estimate: number };
}

export interface ObdEvaluation {
  dir: string;
  level: number;
  campaigns: ObdCampaignEvaluation[];
}

export const BTS_DISTRIBUTION_SOURCE =
  "Monte Carlo from prior_bts.json: per draw, sample every item's Beta(α, β) and show the top 3 in positions 1-3";

/**
 * The Open Bandit Pipeline's check of an off-policy evaluation pipeline: the BTS policy's
 * action distribution by Monte Carlo from prior_bts.json, evaluated by IPS, SNIPS and DR on
 * the uniform-random logs, compared with BTS's on-policy click rate in the bts logs.
 */
export async function evaluateObd(options: EvaluateObdOptions = {}): Promise<ObdEvaluation> {
  const dir = options.dir ?? defaultObdDir();
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  const campaigns = options.campaigns ?? OBD_CAMPAIGNS;
  const prior = await loadBtsPrior(dir);
  const results: ObdCampaignEvaluation[] = [];
  for (const campaign of campaigns) {
    const index = OBD_CAMPAIGNS.indexOf(campaign);
    if (index < 0) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", `unknown campaign ${String(campaign)} (men or women)`, {
        field: "campaigns",
      });
    }
    const t0 = performance.now();
    const [random, bts, items] = await Promise.all([
      loadObdLogs(dir, "random", campaign),
      loadObdLogs(dir, "bts", campaign),
      loadObdItemContext(dir, "random", campaign),
    ]);
    const itemCount = items.itemIds.length;
    if (prior[campaign].alpha.length !== itemCount) {
      throw new BanditryError(
        "BANDITRY_VALIDATION",
        `prior_bts.json has ${prior[campaign].alpha.length} ${campaign} items, item_context.csv ${itemCount}`,
        { field: `${campaign}.alpha` },
      );
    }
    const t1 = performance.now();
    const distribution = btsActionDistribution(prior[campaign], createRng(seed + index), {
      draws: options.draws ?? DEFAULT_BTS_DRAWS,
    });
    const t2 = performance.now();
    const data = obdLoggedDecisions(random);
    const bootstrap =
      options.bootstrapReplicates === undefined
        ? undefined
        : { rng: createRng(seed + 1000 + index), replicates: options.bootstrapReplicates };
    const evaluation = evaluatePolicy(data, targetByPosition(data, distribution.byPosition), {
      estimators: ["ips", "snips", "dr"],
      level,
      clip: options.clip,
      bootstrap,
      rewardModelOptions: { folds: options.folds },
    });
    const valueOptions = { level, bootstrap };
    const onPolicy = onPolicyValue(bts.clicks, valueOptions);
    const randomPolicy = onPolicyValue(random.clicks, valueOptions);
    const onPolicyByPosition = [1, 2, 3].map((position) => ({
      position,
      value: onPolicyValue(
        bts.clicks.filter((_, i) => bts.positions[i] === position),
        valueOptions,
      ),
    }));
    const t3 = performance.now();
    const estimates = evaluation.estimates as ObdEstimates;
    const inside = (e: OffPolicyEstimate) => e.lower <= onPolicy.value && onPolicy.value <= e.upper;
    let meanLogged = 0;
    let meanMc = 0;
    let meanAbs = 0;
    for (let i = 0; i < bts.records; i++) {
      const mc = distribution.byPosition[bts.positions[i]! - 1]?.[bts.itemIds[i]!] ?? 0;
      meanLogged += bts.propensities[i]! / bts.records;
      meanMc += mc / bts.records;
      meanAbs += Math.abs(bts.propensities[i]! - mc) / bts.records;
    }
    results.push({
      campaign,
      items: itemCount,
      randomRecords: random.records,
      btsRecords: bts.records,
      actionDistribution: {
        source: BTS_DISTRIBUTION_SOURCE,
        draws: distribution.draws,
        seed: seed + index,
        standardError: distribution.standardError,
        byPosition: distribution.byPosition.map((row) => Array.from(row)),
      },
      estimates,
      byPosition: evaluation.byPosition,
      rewardModel: evaluation.rewardModel,
      onPolicy,
      onPolicyByPosition,
      randomPolicy,
      onPolicyInside: { ips: inside(estimates.ips), snips: inside(estimates.snips), dr: inside(estimates.dr) },
      btsLoggedPropensities: { meanLogged, meanMonteCarlo: meanMc, meanAbsoluteDifference: meanAbs },
      timingsMs: { load: t1 - t0, monteCarlo: t2 - t1, estimate: t3 - t2 },
    });
  }
  return { dir, level, campaigns: results };
}

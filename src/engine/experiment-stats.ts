import { GLOBAL_SEGMENT, type Group } from "../domain/experiment.js";
import { bestArmAnalysis } from "../stats/analysis/best-arm-analysis.js";
import { upliftInterval } from "../stats/analysis/uplift-interval.js";
import { BetaBernoulliPosterior } from "../stats/posteriors/beta-bernoulli.js";
import { GaussianPosterior } from "../stats/posteriors/gaussian.js";
import type { GaussianPrior, Posterior } from "../stats/posteriors/posterior.js";
import type { Rng } from "../stats/rng.js";
import type { GroupStatsRow } from "../stores/stores.js";
import type { ArmStats, ExperimentStats, GroupComparison, SegmentStats } from "./decision-service.js";
import { type ExperimentModel, F_PULLS, F_REWARD_SUM, F_REWARDS } from "./experiment-model.js";

/** At most this many segments are listed (the busiest); the count of all is reported. */
export const MAX_SEGMENTS_IN_STATS = 200;
const DRAWS = 10_000;

export function experimentStats(
  model: ExperimentModel,
  groups: GroupStatsRow[],
  rng: Rng,
  now: number,
): ExperimentStats {
  const keys = [...model.segments.keys()].filter((k) => k !== GLOBAL_SEGMENT);
  const pulls = (key: string): number => {
    let total = 0;
    for (const a of model.armIndex.values()) total += model.field(key, F_PULLS, a);
    return total;
  };
  keys.sort((a, b) => pulls(b) - pulls(a) || (a < b ? -1 : a > b ? 1 : 0));
  const listed = [GLOBAL_SEGMENT, ...keys.slice(0, MAX_SEGMENTS_IN_STATS)];
  const segments = listed.map((key) => segmentStats(model, key, rng, now));
  const comparisons = (["bandit", "control"] as Group[]).map((g) =>
    groupComparison(
      model,
      groups.find((r) => r.group === g),
      g,
    ),
  );
  const bandit = groups.find((r) => r.group === "bandit");
  const control = groups.find((r) => r.group === "control");
  let uplift: ExperimentStats["uplift"] = null;
  if (bandit && control && bandit.rewards > 0 && control.rewards > 0) {
    const a = groupPosterior(model, bandit);
    const b = groupPosterior(model, control);
    const u = upliftInterval(a, b, rng, { draws: DRAWS, level: 0.95 });
    uplift = { mean: u.mean, lower: u.lower, upper: u.upper, probabilityPositive: u.probabilityPositive };
  }
  return {
    experimentId: model.record.id,
    segments,
    segmentsTotal: keys.length + 1,
    groups: comparisons,
    uplift,
  };
}

function segmentStats(model: ExperimentModel, key: string, rng: Rng, now: number): SegmentStats {
  const posteriors = model.allPosteriorsFor(key, now);
  const best = posteriors.length > 0 ? bestArmAnalysis(posteriors, rng, { draws: DRAWS }) : undefined;
  const arms: ArmStats[] = model.record.arms.map((arm, i) => {
    const p = posteriors[i]!;
    const idx = model.armIndex.get(arm.id)!;
    const [lower, upper] = p.credibleInterval(0.95);
    return {
      armId: arm.id,
      state: arm.state,
      pulls: model.field(key, F_PULLS, idx),
      rewards: model.field(key, F_REWARDS, idx),
      rewardSum: model.field(key, F_REWARD_SUM, idx),
      mean: p.mean(),
      lower,
      upper,
      probabilityBest: best?.probabilityBest[i] ?? 0,
      expectedLoss: best?.expectedLoss[i] ?? 0,
    };
  });
  return { segment: key, arms };
}

function groupComparison(model: ExperimentModel, row: GroupStatsRow | undefined, group: Group): GroupComparison {
  if (!row || row.rewards === 0) {
    return { group, decisions: row?.decisions ?? 0, rewards: row?.rewards ?? 0, mean: null, lower: null, upper: null };
  }
  const [lower, upper] = groupPosterior(model, row).credibleInterval(0.95);
  return { group, decisions: row.decisions, rewards: row.rewards, mean: row.rewardSum / row.rewards, lower, upper };
}

/** Posterior of a group's mean reward from its raw sums, under the experiment's prior. */
function groupPosterior(model: ExperimentModel, row: GroupStatsRow): Posterior {
  if (model.record.reward === "bernoulli") {
    const prior = model.record.prior as { alpha: number; beta: number };
    return new BetaBernoulliPosterior(prior, row.rewardSum, Math.max(0, row.rewards - row.rewardSum));
  }
  const prior = model.record.prior as GaussianPrior;
  const mu = prior.mu;
  const sum = row.rewardSum - row.rewards * mu;
  const sumSq = Math.max(0, row.rewardSumSq - 2 * mu * row.rewardSum + row.rewards * mu * mu);
  return new GaussianPosterior(prior, row.rewards, sum, sumSq);
}

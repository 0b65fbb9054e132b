import { BanditryError } from "../../domain/errors.js";
import type { Rng } from "../rng.js";
import { requireDraws, type Sampler } from "./monte-carlo.js";

export interface BestArmAnalysis {
  /** P(arm i has the highest expected reward); sums to 1 (ties share the win). */
  probabilityBest: number[];
  /** E[max_j θ_j − θ_i]: what choosing arm i costs in expectation; >= 0. */
  expectedLoss: number[];
  draws: number;
  /** Monte Carlo standard errors of the two estimates, per arm. */
  standardError: { probabilityBest: number[]; expectedLoss: number[] };
}

/**
 * Probability of being best and expected loss of every arm, from one seeded Monte Carlo pass
 * (one joint draw of all arms per iteration, so both estimates share the same draws).
 */
export function bestArmAnalysis(
  posteriors: readonly Sampler[],
  rng: Rng,
  options: { draws?: number } = {},
): BestArmAnalysis {
  const k = posteriors.length;
  if (k === 0) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", "posteriors must not be empty", { field: "posteriors" });
  }
  const draws = requireDraws(options.draws ?? 10_000);
  const theta = new Float64Array(k);
  const wins = new Float64Array(k);
  // Welford running mean and sum of squared deviations of the loss: losses can be large and
  // nearly constant (revenue), where sum/sumSq would cancel catastrophically.
  const lossMean = new Float64Array(k);
  const lossM2 = new Float64Array(k);
  for (let d = 0; d < draws; d++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < k; i++) {
      const t = posteriors[i]!.sample(rng);
      theta[i] = t;
      if (t > max) max = t;
    }
    let ties = 0;
    for (let i = 0; i < k; i++) if (theta[i] === max) ties++;
    const share = 1 / ties;
    const inv = 1 / (d + 1);
    for (let i = 0; i < k; i++) {
      const loss = max - theta[i]!;
      if (loss === 0) wins[i]! += share;
      const delta = loss - lossMean[i]!;
      lossMean[i]! += delta * inv;
      lossM2[i]! += delta * (loss - lossMean[i]!);
    }
  }
  const probabilityBest = Array.from(wins, (w) => w / draws);
  return {
    probabilityBest,
    expectedLoss: Array.from(lossMean),
    draws,
    standardError: {
      probabilityBest: probabilityBest.map((p) => Math.sqrt((p * (1 - p)) / draws)),
      expectedLoss: Array.from(lossM2, (m2) => Math.sqrt(m2 / (draws - 1) / draws)),
    },
  };
}

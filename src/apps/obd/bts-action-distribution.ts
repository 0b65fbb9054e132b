import { BanditryError } from "../../domain/errors.js";
import { requireDraws } from "../../stats/analysis/monte-carlo.js";
import { sampleBeta } from "../../stats/distributions/beta.js";
import { selectTopK } from "../../stats/ranking/select-top-k.js";
import type { Rng } from "../../stats/rng.js";
import type { BtsPrior } from "./load-bts-prior.js";

export interface SlateDistribution {
  /** byPosition[s][item] = P(item shown at slot s), s = position − 1; each row sums to 1. */
  byPosition: Float64Array[];
  draws: number;
  /** Max over cells of sqrt(p(1 − p)/draws): the Monte Carlo error of any probability. */
  standardError: number;
}

export const DEFAULT_BTS_DRAWS = 100_000;

/**
 * The Open Bandit Pipeline's protocol for the BTS policy: per draw, sample every item's
 * Beta(α_i, β_i) and show the top `slots` items by sampled value in positions 1..slots;
 * the action distribution is the share of draws that put each item at each position.
 */
export function btsActionDistribution(
  prior: BtsPrior,
  rng: Rng,
  options: { draws?: number; slots?: number } = {},
): SlateDistribution {
  const draws = requireDraws(options.draws ?? DEFAULT_BTS_DRAWS);
  const items = prior.alpha.length;
  const slots = options.slots ?? 3;
  if (!(Number.isInteger(slots) && slots >= 1 && slots <= items)) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `slots must be an integer in [1, ${items}], got ${slots}`, {
      field: "slots",
    });
  }
  const byPosition = Array.from({ length: slots }, () => new Float64Array(items));
  const scores = new Float64Array(items);
  const order = new Int32Array(items);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < items; i++) scores[i] = sampleBeta(rng, prior.alpha[i]!, prior.beta[i]!);
    selectTopK(scores, items, slots, rng, order);
    for (let s = 0; s < slots; s++) byPosition[s]![order[s]!]! += 1;
  }
  let variance = 0;
  for (const row of byPosition) {
    for (let i = 0; i < items; i++) {
      const p = row[i]! / draws;
      row[i] = p;
      variance = Math.max(variance, p * (1 - p));
    }
  }
  return { byPosition, draws, standardError: Math.sqrt(variance / draws) };
}

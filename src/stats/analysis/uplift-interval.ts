import { BanditryError, requireFinite } from "../../domain/errors.js";
import type { Rng } from "../rng.js";
import { requireDraws, type Sampler } from "./monte-carlo.js";

export interface UpliftInterval {
  /** Monte Carlo mean of θa − θb. */
  mean: number;
  /** Equal-tailed credible interval of θa − θb at `level`. */
  lower: number;
  upper: number;
  level: number;
  /** P(θa > θb). */
  probabilityPositive: number;
  draws: number;
}

/** Credible interval of the difference θa − θb (e.g. bandit minus control), by seeded Monte Carlo. */
export function upliftInterval(
  a: Sampler,
  b: Sampler,
  rng: Rng,
  options: { draws?: number; level?: number } = {},
): UpliftInterval {
  const draws = requireDraws(options.draws ?? 10_000);
  const level = options.level ?? 0.95;
  requireFinite("level", level, { positive: true });
  if (!(level < 1)) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `level must be < 1, got ${level}`, { field: "level" });
  }
  const diff = new Float64Array(draws);
  let sum = 0;
  let positive = 0;
  for (let d = 0; d < draws; d++) {
    const x = a.sample(rng) - b.sample(rng);
    diff[d] = x;
    sum += x;
    if (x > 0) positive++;
  }
  diff.sort();
  const tail = (1 - level) / 2;
  return {
    mean: sum / draws,
    lower: empiricalQuantile(diff, tail),
    upper: empiricalQuantile(diff, 1 - tail),
    level,
    probabilityPositive: positive / draws,
    draws,
  };
}

/** Linear interpolation between order statistics (Hyndman & Fan type 7) of sorted data. */
function empiricalQuantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const lo = sorted[i]!;
  return i + 1 < sorted.length ? lo + (h - i) * (sorted[i + 1]! - lo) : lo;
}

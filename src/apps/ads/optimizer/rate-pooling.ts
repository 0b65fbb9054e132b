/** A rate with its evidence, e.g. orders per click of one keyword. */
export interface RateEvidence {
  successes: number;
  trials: number;
}

/**
 * Prior strength (pseudo-trials) of a beta prior for rates like conversion per click, by the
 * method of moments over the units' raw rates: the spread between units minus the binomial
 * noise each raw rate carries. Little spread beyond noise → strong pooling; clamped to
 * [minStrength, maxStrength] so one odd data set cannot switch pooling off or make it absolute.
 */
export function empiricalPriorStrength(
  units: readonly RateEvidence[],
  mean: number,
  minStrength = 10,
  maxStrength = 1000,
): number {
  const informative = units.filter((u) => u.trials >= 5);
  if (informative.length < 3 || !(mean > 0 && mean < 1)) return Math.sqrt(minStrength * maxStrength) / 3;
  let w = 0;
  let spread = 0;
  let noise = 0;
  for (const u of informative) {
    const r = u.successes / u.trials;
    w += u.trials;
    spread += u.trials * (r - mean) ** 2;
    noise += mean * (1 - mean); // trials × (p(1 − p) / trials)
  }
  const between = (spread - noise) / w;
  if (!(between > 0)) return maxStrength;
  return Math.max(minStrength, Math.min(maxStrength, (mean * (1 - mean)) / between - 1));
}

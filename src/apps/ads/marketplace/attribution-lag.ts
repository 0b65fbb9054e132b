import type { Rng } from "../../../stats/rng.js";

/** Longest lag simulated: sales beyond 30 days of the click are not attributed. */
export const MAX_LAG_DAYS = 29;

/**
 * P(an order arrives `lag` days after its click), lag 0…29: half on the day of the click,
 * the rest decaying geometrically (ratio 0.75), so about 91% arrive within 7 days and 99%
 * within 14, as sellers see it.
 */
export const LAG_PMF: readonly number[] = (() => {
  const w = [0.5];
  for (let k = 1; k <= MAX_LAG_DAYS; k++) w.push(0.5 * 0.25 * 0.75 ** (k - 1));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
})();

const LAG_CDF: readonly number[] = LAG_PMF.reduce<number[]>((acc, p, i) => {
  acc.push((i === 0 ? 0 : acc[i - 1]!) + p);
  return acc;
}, []);

/** Share of a click day's orders known after `lag` days (lag ≥ 0). */
export function lagCdf(lag: number): number {
  return lag < 0 ? 0 : LAG_CDF[Math.min(lag, MAX_LAG_DAYS)]!;
}

/** Days from click to order, by inversion. */
export function sampleLag(rng: Rng): number {
  const u = rng.next();
  for (let k = 0; k < MAX_LAG_DAYS; k++) if (u < LAG_CDF[k]!) return k;
  return MAX_LAG_DAYS;
}

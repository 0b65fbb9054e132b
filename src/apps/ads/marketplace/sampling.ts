import { sampleBeta } from "../../../stats/distributions/beta.js";
import { sampleGamma } from "../../../stats/distributions/gamma.js";
import { sampleStandardNormal } from "../../../stats/distributions/normal.js";
import type { Rng } from "../../../stats/rng.js";

/** Below this mean, counts are drawn by inversion (one uniform, about mean steps). */
const INVERSION_MEAN = 12;

/**
 * Poisson(mean), exact. Small means by inversion; large ones by the gamma decomposition
 * (Ahrens & Dieter): the m-th arrival of a unit-rate process is Gamma(m), which splits the
 * count into a known part and a smaller Poisson or binomial one, O(log mean) draws.
 */
export function samplePoisson(rng: Rng, mean: number): number {
  let extra = 0;
  let lambda = mean;
  while (lambda >= INVERSION_MEAN) {
    const m = Math.floor(0.875 * lambda);
    const x = sampleGamma(rng, m);
    if (x >= lambda) return extra + sampleBinomial(rng, m - 1, lambda / x);
    extra += m;
    lambda -= x;
  }
  if (!(lambda > 0)) return extra;
  const u = rng.next();
  let p = Math.exp(-lambda);
  let cdf = p;
  let k = 0;
  while (u > cdf && k < 1000) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return extra + k;
}

/**
 * Binomial(n, p), exact. Small n·p by inversion; otherwise Devroye's order-statistic split:
 * the i-th smallest of n uniforms is Beta(i, n − i + 1), which tells how many of them lie
 * below p for one half and leaves a smaller binomial for the other.
 */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(rng, n, 1 - p);
  let count = 0;
  let trials = n;
  let prob = p;
  while (trials * prob >= INVERSION_MEAN) {
    const i = Math.floor((trials + 1) / 2);
    const x = sampleBeta(rng, i, trials - i + 1);
    if (x <= prob) {
      count += i;
      trials -= i;
      prob = (prob - x) / (1 - x);
    } else {
      trials = i - 1;
      prob /= x;
    }
  }
  if (trials <= 0 || !(prob > 0)) return count;
  const u = rng.next();
  const ratio = prob / (1 - prob);
  let pk = Math.exp(trials * Math.log1p(-prob));
  let cdf = pk;
  let k = 0;
  while (u > cdf && k < trials) {
    pk *= ((trials - k) / (k + 1)) * ratio;
    cdf += pk;
    k++;
  }
  return count + k;
}

/** Multiplicative noise with mean 1: exp(sd·Z − sd²/2). */
export function sampleMeanOneLogNormal(rng: Rng, sd: number): number {
  return sd === 0 ? 1 : Math.exp(sd * sampleStandardNormal(rng) - (sd * sd) / 2);
}

/** Log-normal draw with the given median. */
export function sampleLogNormal(rng: Rng, median: number, sd: number): number {
  return median * Math.exp(sd * sampleStandardNormal(rng));
}

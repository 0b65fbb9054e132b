import type { Rng } from "../rng.js";

/** Standard normal variate (Marsaglia polar method). Placeholder: to be replaced by a faster exact sampler. */
export function sampleStandardNormal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

export function sampleNormal(rng: Rng, mean: number, sd: number): number {
  return mean + sd * sampleStandardNormal(rng);
}

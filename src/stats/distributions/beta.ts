import type { Rng } from "../rng.js";
import { sampleGamma } from "./gamma.js";

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). Callers validate a, b > 0. */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}

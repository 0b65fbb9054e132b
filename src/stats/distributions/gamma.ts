import type { Rng } from "../rng.js";
import { sampleStandardNormal } from "./normal.js";

/** Gamma(shape, 1) by Marsaglia–Tsang; shape < 1 through the u^(1/shape) boost. */
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    const g = sampleGamma(rng, shape + 1);
    return g * rng.nextOpen32() ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleStandardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextOpen32();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

import type { Rng } from "../rng.js";
import { invalidParameter } from "./invalid-parameter.js";

/*
 * Ziggurat method (Marsaglia & Tsang 2000) with 256 layers. One 32-bit draw gives the layer
 * (8 bits), the sign (1 bit) and a 23-bit magnitude; about 99% of draws are accepted at once
 * with one table lookup and one multiplication. The sign is folded into 512-entry tables so
 * the fast path has no data-dependent branch. The rare wedge and tail cases are exact
 * rejection steps with full-resolution uniforms.
 * Resolution: within a layer the magnitude has 2^23 equally spaced values, so the sampled
 * CDF is off by at most 2^-23 of a layer's probability: far below what a test or a decision
 * can see, and the price of one 32-bit draw instead of two.
 */

/** Rightmost layer edge r and common layer area v for 256 layers (Marsaglia & Tsang 2000). */
const R = 3.6541528853610088;
const V = 0.00492867323399;
const MAG = 2 ** 23;

/** K[j]: accept at once when magnitude < K[j]; W[j]: signed scale; F[i]: density at x_i. */
const K = new Float64Array(512);
const W = new Float64Array(512);
const F = new Float64Array(256);
{
  const k = new Float64Array(256);
  const w = new Float64Array(256);
  let x = R;
  let prev = x;
  const q = V / Math.exp(-0.5 * R * R); // width of the base strip (rectangle plus tail)
  k[0] = (R / q) * MAG;
  k[1] = 0;
  w[0] = q / MAG;
  w[255] = R / MAG;
  F[0] = 1;
  F[255] = Math.exp(-0.5 * R * R);
  for (let i = 254; i >= 1; i--) {
    x = Math.sqrt(-2 * Math.log(V / x + Math.exp(-0.5 * x * x)));
    k[i + 1] = (x / prev) * MAG;
    prev = x;
    F[i] = Math.exp(-0.5 * x * x);
    w[i] = x / MAG;
  }
  for (let j = 0; j < 512; j++) {
    K[j] = k[j & 255]!;
    W[j] = j & 256 ? -w[j & 255]! : w[j & 255]!;
  }
}

/** Standard normal variate N(0, 1). */
export function sampleStandardNormal(rng: Rng): number {
  for (;;) {
    const u = rng.nextU32();
    const j = u & 511;
    const mag = u >>> 9;
    const x = mag * W[j]!;
    if (mag < K[j]!) return x;
    const z = normalSlowPath(rng, j, x);
    if (!Number.isNaN(z)) return z;
  }
}

/** Wedge or tail of the ziggurat; NaN when the candidate is rejected. Out of line: ~1% of calls. */
function normalSlowPath(rng: Rng, j: number, x: number): number {
  const i = j & 255;
  if (i === 0) {
    // tail beyond R (Marsaglia 1964): exact, using exponentials
    for (;;) {
      const t = -Math.log(rng.nextOpen32()) / R;
      const e = -Math.log(rng.nextOpen32());
      if (e + e > t * t) return j & 256 ? -(R + t) : R + t;
    }
  }
  const fi = F[i]!;
  return fi + rng.next() * (F[i - 1]! - fi) < Math.exp(-0.5 * x * x) ? x : Number.NaN;
}

/** Normal variate with the given mean and standard deviation (sd ≥ 0). */
export function sampleNormal(rng: Rng, mean: number, sd: number): number {
  if (!(sd >= 0 && sd < Number.POSITIVE_INFINITY)) throw invalidParameter("sd", sd, "a finite number >= 0");
  return mean + sd * sampleStandardNormal(rng);
}

import type { Rng } from "../rng.js";

/*
 * Ziggurat method for Exp(1) (Marsaglia & Tsang 2000), 256 layers. One 32-bit draw gives the
 * layer (8 bits) and a 24-bit magnitude; about 99% of draws are accepted at once. Wedges are
 * exact rejection steps, and the tail beyond R is R + Exp(1) (memorylessness).
 * The samplers use it for −log(U) without calling Math.log: U^(1/a) = exp(−E/a).
 */

/** Rightmost layer edge and common layer area for 256 layers (Marsaglia & Tsang 2000). */
const R = 7.69711747013105;
const V = 3.949659822581572e-3;
const MAG = 2 ** 24;

const K = new Float64Array(256);
const W = new Float64Array(256);
const F = new Float64Array(256);
{
  let x = R;
  let prev = x;
  const q = V / Math.exp(-R); // width of the base strip (rectangle plus tail)
  K[0] = (R / q) * MAG;
  K[1] = 0;
  W[0] = q / MAG;
  W[255] = R / MAG;
  F[0] = 1;
  F[255] = Math.exp(-R);
  for (let i = 254; i >= 1; i--) {
    x = -Math.log(V / x + Math.exp(-x));
    K[i + 1] = (x / prev) * MAG;
    prev = x;
    F[i] = Math.exp(-x);
    W[i] = x / MAG;
  }
}

/** Standard exponential variate Exp(1) (mean 1). */
export function sampleExponential(rng: Rng): number {
  for (;;) {
    const u = rng.nextU32();
    const i = u & 255;
    const mag = u >>> 8;
    const x = mag * W[i]!;
    if (mag < K[i]!) return x;
    const e = exponentialSlowPath(rng, i, x);
    if (!Number.isNaN(e)) return e;
  }
}

/** Wedge or tail; NaN when the candidate is rejected. Out of line: ~1% of calls. */
function exponentialSlowPath(rng: Rng, i: number, x: number): number {
  if (i === 0) return R - Math.log(rng.nextOpen32());
  const fi = F[i]!;
  return fi + rng.next() * (F[i - 1]! - fi) < Math.exp(-x) ? x : Number.NaN;
}

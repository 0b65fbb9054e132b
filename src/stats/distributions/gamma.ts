import type { Rng } from "../rng.js";
import { sampleExponential } from "./exponential.js";
import { invalidParameter, MAX_SHAPE } from "./invalid-parameter.js";
import { sampleStandardNormal } from "./normal.js";

/**
 * Gamma(shape, 1). Marsaglia & Tsang (2000) for shape ≥ 1; for shape < 1 their boost
 * G(shape + 1)·U^(1/shape), with U^(1/shape) = exp(−E/shape), E ~ Exp(1). Exact (rejection
 * sampling, no approximation at any shape). For tiny shapes the result can underflow to 0,
 * which is the correctly rounded value of a draw below ~1e-308.
 * Throws BANDITRY_INVALID_PARAMETER (field "shape") unless shape is in (0, MAX_SHAPE].
 */
export function sampleGamma(rng: Rng, shape: number): number {
  if (!(shape > 0 && shape <= MAX_SHAPE)) throw invalidParameter("shape", shape);
  // one call site each for the rejection loop and the exponential, so V8 inlines one copy
  let g = 1;
  if (shape !== 1) {
    const d = (shape < 1 ? shape + 1 : shape) - 1 / 3;
    g = gammaMarsagliaTsang(rng, d, 1 / Math.sqrt(9 * d));
    if (shape > 1) return g;
  }
  const e = sampleExponential(rng);
  return shape === 1 ? e : g * Math.exp(-e / shape); // Gamma(1) is Exp(1)
}

const TWO_POW_M32 = 2 ** -32;

/**
 * The Marsaglia–Tsang rejection loop for shape ≥ 1, with d = shape − 1/3 and c = 1/√(9d)
 * precomputed by the caller. No parameter checks: callers pass d ≥ 2/3.
 *
 * Candidate d·(1 + y)³ with y = c·x, x ~ N(0, 1); accept iff −log(u) > d·φ(y) where
 * φ(y) = 3y − 1.5y² + y³ − 3·log(1 + y) (their test, rewritten). Since φ′(y) = 3y³/(1 + y),
 * φ(y) ≤ 0.75·y⁴ / min(1, 1 + y); with −log(u) ≥ 1 − u that gives the squeeze
 * (1 − u)·min(1, 1 + y) > 0.75·d·y⁴. It leaves about 1/(36·d) of the candidates to the
 * logarithms (0.06% at shape 50, 2.5% at shape 2, 6% at shape 1), where Marsaglia–Tsang's
 * own squeeze 1 − 0.0331·x⁴ leaves 8% at every shape.
 */
export function gammaMarsagliaTsang(rng: Rng, d: number, c: number): number {
  const q = 0.75 * d;
  for (;;) {
    const y = c * sampleStandardNormal(rng);
    const v1 = 1 + y;
    if (v1 <= 0) continue;
    const u = (rng.nextU32() + 0.5) * TWO_POW_M32; // in (0, 1)
    const y2 = y * y;
    // 1 + 0.5·(y − |y|) = min(1, 1 + y) without a data-dependent branch
    if ((1 - u) * (1 + 0.5 * (y - Math.abs(y))) > q * y2 * y2 || exactAccept(u, y, d)) return d * v1 * v1 * v1;
  }
}

/** The exact test −log(u) > d·φ(y); log1p keeps φ accurate when y is small (large shapes). */
function exactAccept(u: number, y: number, d: number): boolean {
  return -Math.log(u) > d * (y * (3 + y * (y - 1.5)) - 3 * Math.log1p(y));
}

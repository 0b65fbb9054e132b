import type { RewardKind } from "./environment-spec.js";

/** Bernoulli Kullback–Leibler divergence KL(p ‖ q), with 0·ln 0 = 0; +∞ when q puts no mass where p does. */
export function bernoulliKL(p: number, q: number): number {
  const term = (a: number, b: number): number =>
    a === 0 ? 0 : b === 0 ? Number.POSITIVE_INFINITY : a * Math.log(a / b);
  return term(p, q) + term(1 - p, 1 - q);
}

export interface LaiRobbins {
  /** C = Σ_{i≠*} Δᵢ / KL(pᵢ, p*). */
  C: number;
  /** C·ln T: the asymptotic lower bound on the regret of a consistent policy at horizon T. */
  ClnT: number;
}

/**
 * Lai–Robbins constant of a stationary problem. Bernoulli arms use the Bernoulli KL; Gaussian
 * arms with known noise sd σ use KL = Δ²/(2σ²), so each term is 2σ²/Δ. Arms tied with the best
 * contribute nothing (they cost no regret).
 */
export function laiRobbins(
  means: readonly number[],
  horizon: number,
  reward: RewardKind = "bernoulli",
  sd = 1,
): LaiRobbins {
  let best = Number.NEGATIVE_INFINITY;
  for (const m of means) if (m > best) best = m;
  let C = 0;
  for (const m of means) {
    const gap = best - m;
    if (!(gap > 0)) continue;
    C += reward === "bernoulli" ? gap / bernoulliKL(m, best) : (2 * sd * sd) / gap;
  }
  return { C, ClnT: C * Math.log(horizon) };
}

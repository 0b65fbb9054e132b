import type { Rng } from "../rng.js";

export type PosteriorKind = "beta" | "gaussian";

/** Prior of the Beta-Bernoulli model: Beta(alpha, beta). */
export interface BetaPrior {
  alpha: number;
  beta: number;
}

/** Prior of the Gaussian model: Normal-Inverse-Gamma(mu, kappa, alpha, beta). */
export interface GaussianPrior {
  mu: number;
  kappa: number;
  alpha: number;
  beta: number;
}

/**
 * Plain-JSON state. Evidence is stored apart from the prior, as additive sufficient statistics,
 * so that merge is a sum, decay a scaling, and a store can apply updates as atomic increments.
 * Gaussian sums are of (reward − prior.mu), which keeps sumSq well conditioned.
 */
export type PosteriorJSON =
  | { kind: "beta"; prior: BetaPrior; successes: number; failures: number }
  | { kind: "gaussian"; prior: GaussianPrior; n: number; sum: number; sumSq: number };

/**
 * Belief about one arm's expected reward. Mutable on purpose: update and sample are the
 * hot path and must not allocate.
 */
export interface Posterior {
  readonly kind: PosteriorKind;
  /** Add one observed reward with a weight (default 1; fractional weights allowed). */
  update(reward: number, weight?: number): void;
  /** One draw of the arm's expected reward from the posterior. */
  sample(rng: Rng): number;
  /** Posterior mean of the arm's expected reward. */
  mean(): number;
  /** Posterior variance of the arm's expected reward. */
  variance(): number;
  /** Evidence weight: observations counted, after decay. */
  count(): number;
  /** Equal-tailed credible interval of the expected reward (exact quantiles). */
  credibleInterval(level?: number): [number, number];
  /** Quantile of the expected reward's marginal posterior. */
  quantile(p: number): number;
  /** Density of the expected reward's marginal posterior at x. */
  density(x: number): number;
  /** Multiply the evidence by factor in (0, 1]: the posterior moves toward the prior. */
  decay(factor: number): void;
  /** A new posterior whose evidence is the sum of both; the priors must be equal. */
  merge(other: Posterior): Posterior;
  clone(): Posterior;
  toJSON(): PosteriorJSON;
}

/** Decay factor for elapsed time under a half-life: 0.5^(elapsed / halfLife). */
export function decayFactor(elapsed: number, halfLife: number): number {
  return 0.5 ** (elapsed / halfLife);
}

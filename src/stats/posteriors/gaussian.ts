import gammaln from "@stdlib/math-base-special-gammaln";
import tquantile from "@stdlib/stats-base-dists-t-quantile";
import { BanditryError, requireFinite } from "../../domain/errors.js";
import { sampleGamma } from "../distributions/gamma.js";
import { sampleStandardNormal } from "../distributions/normal.js";
import type { Rng } from "../rng.js";
import type { GaussianPrior, Posterior, PosteriorJSON } from "./posterior.js";

/**
 * Weakly informative on rewards of order 1: kappa = 0.01 lets the first observation decide the
 * mean (the prior mean 0 weighs as 1% of one observation), alpha = beta = 1 is about two
 * pseudo-observations of variance 1. Rewards far from 0 or of a very different scale (revenue in
 * cents) deserve a prior on their scale: untried arms are sampled around prior.mu.
 */
export const DEFAULT_GAUSSIAN_PRIOR: Readonly<GaussianPrior> = { mu: 0, kappa: 0.01, alpha: 1, beta: 1 };

export function validateGaussianPrior(prior: GaussianPrior, field = "prior"): GaussianPrior {
  requireFinite(`${field}.mu`, prior.mu);
  requireFinite(`${field}.kappa`, prior.kappa, { positive: true });
  requireFinite(`${field}.alpha`, prior.alpha, { positive: true });
  requireFinite(`${field}.beta`, prior.beta, { positive: true });
  return { mu: prior.mu, kappa: prior.kappa, alpha: prior.alpha, beta: prior.beta };
}

/**
 * Rejects evidence no data could produce: by Cauchy–Schwarz sum² <= n·sumSq, and sums of
 * d and d² keep that up to rounding. For stored state (posteriorFromJSON); the constructor does
 * not check, because callers rebuilding sums from raw moments (Σr², Σr) lose more precision
 * than this slack, and betaN clamps the harmless consequence.
 */
export function validateGaussianEvidence(n: number, sum: number, sumSq: number): void {
  if (sum * sum > n * sumSq * (1 + 1e-6) + 1e-300) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `sum must satisfy sum² <= n·sumSq, got n=${n}, sum=${sum}, sumSq=${sumSq}`,
      { field: "sum" },
    );
  }
}

/**
 * Gaussian rewards with unknown mean and variance under a Normal-Inverse-Gamma prior.
 * Evidence is kept as weighted sums of d = reward − prior.mu (n = Σw, sum = Σw·d,
 * sumSq = Σw·d²), so merge adds, decay scales, and the conjugate update reads
 *   κn = κ0 + n,  μn = μ0 + sum/κn,  αn = α0 + n/2,  βn = β0 + (sumSq − sum²/κn)/2.
 * The expected reward's marginal is Student-t with 2αn dof, location μn, scale² = βn/(αn·κn).
 */
export class GaussianPosterior implements Posterior {
  readonly kind = "gaussian" as const;
  readonly prior: Readonly<GaussianPrior>;
  n: number;
  sum: number;
  sumSq: number;

  constructor(prior: GaussianPrior = DEFAULT_GAUSSIAN_PRIOR, n = 0, sum = 0, sumSq = 0) {
    this.prior = validateGaussianPrior(prior);
    requireFinite("n", n, { min: 0 });
    requireFinite("sum", sum);
    requireFinite("sumSq", sumSq, { min: 0 });
    this.n = n;
    this.sum = sum;
    this.sumSq = sumSq;
  }

  get kappaN(): number {
    return this.prior.kappa + this.n;
  }

  get muN(): number {
    return this.prior.mu + this.sum / (this.prior.kappa + this.n);
  }

  get alphaN(): number {
    return this.prior.alpha + this.n / 2;
  }

  get betaN(): number {
    const ss = this.sumSq - (this.sum * this.sum) / (this.prior.kappa + this.n);
    // ss ≥ 0 in exact arithmetic; rounding can make it a tiny negative
    return this.prior.beta + (ss > 0 ? ss / 2 : 0);
  }

  /** Scale of the Student-t marginal of the expected reward. */
  scale(): number {
    return Math.sqrt(this.betaN / (this.alphaN * this.kappaN));
  }

  update(reward: number, weight = 1): void {
    if (typeof reward !== "number" || !Number.isFinite(reward)) {
      throw new BanditryError(
        "BANDITRY_INVALID_REWARD",
        `reward must be a finite number for a Gaussian model, got ${String(reward)}`,
        { field: "reward" },
      );
    }
    requireFinite("weight", weight, { min: 0 });
    const d = reward - this.prior.mu;
    const sumSq = this.sumSq + weight * d * d;
    if (!Number.isFinite(sumSq)) {
      throw new BanditryError(
        "BANDITRY_INVALID_REWARD",
        `reward ${reward} is too far from prior.mu ${this.prior.mu}: its square overflows`,
        { field: "reward" },
      );
    }
    this.n += weight;
    this.sum += weight * d;
    this.sumSq = sumSq;
  }

  /** σ² ~ InvGamma(αn, βn), then μ ~ N(μn, σ²/κn); returns μ. */
  sample(rng: Rng): number {
    const kappaN = this.prior.kappa + this.n;
    const sigma2 = this.betaN / sampleGamma(rng, this.prior.alpha + this.n / 2);
    return this.prior.mu + this.sum / kappaN + Math.sqrt(sigma2 / kappaN) * sampleStandardNormal(rng);
  }

  /** μn: the marginal's location (also its median; its mean when 2αn > 1). */
  mean(): number {
    return this.muN;
  }

  /**
   * βn / (κn·(αn − 1)), the Student-t variance. When αn ≤ 1 (2αn ≤ 2 dof) the second moment
   * diverges and this returns +Infinity; use credibleInterval or scale() for a finite spread.
   */
  variance(): number {
    const alphaN = this.alphaN;
    return alphaN > 1 ? this.betaN / (this.kappaN * (alphaN - 1)) : Number.POSITIVE_INFINITY;
  }

  count(): number {
    return this.n;
  }

  quantile(p: number): number {
    requireFinite("p", p, { min: 0, max: 1 });
    return this.muN + this.scale() * tquantile(p, 2 * this.alphaN);
  }

  credibleInterval(level = 0.95): [number, number] {
    requireFinite("level", level, { positive: true, max: 1 });
    const tail = (1 - level) / 2;
    return [this.quantile(tail), this.quantile(1 - tail)];
  }

  density(x: number): number {
    if (Number.isNaN(x)) return Number.NaN;
    const nu = 2 * this.alphaN;
    const scale = this.scale();
    const z = (x - this.muN) / scale;
    return Math.exp(
      gammaln((nu + 1) / 2) -
        gammaln(nu / 2) -
        0.5 * Math.log(nu * Math.PI) -
        Math.log(scale) -
        ((nu + 1) / 2) * Math.log1p((z * z) / nu),
    );
  }

  decay(factor: number): void {
    requireFinite("factor", factor, { positive: true, max: 1 });
    this.n *= factor;
    this.sum *= factor;
    this.sumSq *= factor;
  }

  merge(other: Posterior): GaussianPosterior {
    if (!(other instanceof GaussianPosterior) || !samePrior(this.prior, other.prior)) {
      throw new BanditryError("BANDITRY_POSTERIOR_MISMATCH", "can only merge Gaussian posteriors with the same prior", {
        field: "posterior",
      });
    }
    return new GaussianPosterior(this.prior, this.n + other.n, this.sum + other.sum, this.sumSq + other.sumSq);
  }

  clone(): GaussianPosterior {
    return new GaussianPosterior(this.prior, this.n, this.sum, this.sumSq);
  }

  toJSON(): PosteriorJSON {
    return { kind: "gaussian", prior: { ...this.prior }, n: this.n, sum: this.sum, sumSq: this.sumSq };
  }
}

function samePrior(a: GaussianPrior, b: GaussianPrior): boolean {
  return a.mu === b.mu && a.kappa === b.kappa && a.alpha === b.alpha && a.beta === b.beta;
}

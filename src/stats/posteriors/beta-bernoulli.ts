import betaincinv from "@stdlib/math-base-special-betaincinv";
import betaln from "@stdlib/math-base-special-betaln";
import { BanditryError, requireFinite } from "../../domain/errors.js";
import { sampleBeta } from "../distributions/beta.js";
import type { Rng } from "../rng.js";
import type { BetaPrior, Posterior, PosteriorJSON } from "./posterior.js";

export const DEFAULT_BETA_PRIOR: Readonly<BetaPrior> = { alpha: 1, beta: 1 };

export function validateBetaPrior(prior: BetaPrior, field = "prior"): BetaPrior {
  requireFinite(`${field}.alpha`, prior.alpha, { positive: true });
  requireFinite(`${field}.beta`, prior.beta, { positive: true });
  return { alpha: prior.alpha, beta: prior.beta };
}

/**
 * Beta-Bernoulli posterior with fractional rewards in [0, 1]: a reward r adds r to the
 * successes and 1 − r to the failures, so Beta(α0 + successes, β0 + failures).
 */
export class BetaBernoulliPosterior implements Posterior {
  readonly kind = "beta" as const;
  readonly prior: Readonly<BetaPrior>;
  successes: number;
  failures: number;

  constructor(prior: BetaPrior = DEFAULT_BETA_PRIOR, successes = 0, failures = 0) {
    this.prior = validateBetaPrior(prior);
    requireFinite("successes", successes, { min: 0 });
    requireFinite("failures", failures, { min: 0 });
    this.successes = successes;
    this.failures = failures;
  }

  get alpha(): number {
    return this.prior.alpha + this.successes;
  }

  get beta(): number {
    return this.prior.beta + this.failures;
  }

  update(reward: number, weight = 1): void {
    if (typeof reward !== "number" || !(reward >= 0 && reward <= 1)) {
      throw new BanditryError(
        "BANDITRY_INVALID_REWARD",
        `reward must be a number in [0, 1] for a Bernoulli model, got ${String(reward)}`,
        { field: "reward" },
      );
    }
    requireFinite("weight", weight, { min: 0 });
    this.successes += weight * reward;
    this.failures += weight * (1 - reward);
  }

  sample(rng: Rng): number {
    return sampleBeta(rng, this.prior.alpha + this.successes, this.prior.beta + this.failures);
  }

  mean(): number {
    const a = this.alpha;
    return a / (a + this.beta);
  }

  variance(): number {
    const a = this.alpha;
    const b = this.beta;
    const s = a + b;
    return (a * b) / (s * s * (s + 1));
  }

  count(): number {
    return this.successes + this.failures;
  }

  quantile(p: number): number {
    requireFinite("p", p, { min: 0, max: 1 });
    return betaincinv(p, this.alpha, this.beta);
  }

  credibleInterval(level = 0.95): [number, number] {
    requireFinite("level", level, { positive: true, max: 1 });
    const tail = (1 - level) / 2;
    return [this.quantile(tail), this.quantile(1 - tail)];
  }

  density(x: number): number {
    if (!(x >= 0 && x <= 1)) return 0;
    const a = this.alpha;
    const b = this.beta;
    if (x === 0) return a < 1 ? Number.POSITIVE_INFINITY : a === 1 ? b : 0;
    if (x === 1) return b < 1 ? Number.POSITIVE_INFINITY : b === 1 ? a : 0;
    return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - betaln(a, b));
  }

  decay(factor: number): void {
    requireFinite("factor", factor, { positive: true, max: 1 });
    this.successes *= factor;
    this.failures *= factor;
  }

  merge(other: Posterior): BetaBernoulliPosterior {
    if (!(other instanceof BetaBernoulliPosterior) || !samePrior(this.prior, other.prior)) {
      throw new BanditryError("BANDITRY_POSTERIOR_MISMATCH", "can only merge Beta posteriors with the same prior", {
        field: "posterior",
      });
    }
    return new BetaBernoulliPosterior(this.prior, this.successes + other.successes, this.failures + other.failures);
  }

  clone(): BetaBernoulliPosterior {
    return new BetaBernoulliPosterior(this.prior, this.successes, this.failures);
  }

  toJSON(): PosteriorJSON {
    return { kind: "beta", prior: { ...this.prior }, successes: this.successes, failures: this.failures };
  }
}

function samePrior(a: BetaPrior, b: BetaPrior): boolean {
  return a.alpha === b.alpha && a.beta === b.beta;
}

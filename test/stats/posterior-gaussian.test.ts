import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BanditryError, type ErrorCode } from "../../src/domain/errors.js";
import {
  DEFAULT_GAUSSIAN_PRIOR,
  GaussianPosterior,
  validateGaussianEvidence,
} from "../../src/stats/posteriors/gaussian.js";
import { createPosterior } from "../../src/stats/posteriors/registry.js";
import { createRng } from "../../src/stats/rng.js";

function assertBanditryError(fn: () => unknown, code: ErrorCode, field: string): void {
  assert.throws(fn, (e: unknown) => e instanceof BanditryError && e.code === code && e.field === field);
}

function near(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} vs expected ${expected}`,
  );
}

describe("GaussianPosterior (Normal-Inverse-Gamma)", () => {
  it("matches the textbook conjugate update (Murphy 2007, Conjugate Bayesian analysis of the Gaussian distribution)", () => {
    const prior = { mu: 1, kappa: 2, alpha: 3, beta: 4 };
    const xs = [2.5, 3.1, -0.4, 5.2, 1.1, 0, 7.75];
    const p = new GaussianPosterior(prior);
    for (const x of xs) p.update(x);
    const n = xs.length;
    const xbar = xs.reduce((a, b) => a + b) / n;
    const kn = prior.kappa + n;
    const mn = (prior.kappa * prior.mu + n * xbar) / kn;
    const an = prior.alpha + n / 2;
    const bn =
      prior.beta +
      0.5 * xs.reduce((s, x) => s + (x - xbar) ** 2, 0) +
      (prior.kappa * n * (xbar - prior.mu) ** 2) / (2 * kn);
    near(p.kappaN, kn, 1e-12, "kappa_n");
    near(p.muN, mn, 1e-12, "mu_n");
    near(p.alphaN, an, 1e-12, "alpha_n");
    near(p.betaN, bn, 1e-12, "beta_n");
    near(p.mean(), mn, 1e-12, "mean");
    near(p.variance(), bn / (kn * (an - 1)), 1e-12, "variance");
    near(p.scale(), Math.sqrt(bn / (an * kn)), 1e-12, "scale");
  });

  it("an integer weight counts as that many repeated rewards; weight 0 is a no-op", () => {
    const a = new GaussianPosterior();
    const b = new GaussianPosterior();
    for (const [r, w] of [
      [3, 2],
      [-1.5, 3],
      [10, 1],
    ] as const) {
      a.update(r, w);
      for (let i = 0; i < w; i++) b.update(r);
    }
    a.update(1e6, 0);
    near(a.n, b.n, 1e-12, "n");
    near(a.sum, b.sum, 1e-12, "sum");
    near(a.sumSq, b.sumSq, 1e-12, "sumSq");
  });

  // reference values from scipy.stats.t (ppf, pdf)
  it("quantiles are Student-t quantiles: 2·alpha_n dof, location mu_n, scale² = beta_n/(alpha_n·kappa_n)", () => {
    // alpha = 5, beta = 5, kappa = 1, no data: t with 10 dof, scale 1
    const p = new GaussianPosterior({ mu: 3, kappa: 1, alpha: 5, beta: 5 });
    near(p.quantile(0.975), 3 + 2.228138851986274, 1e-12, "t_10 quantile 0.975");
    near(p.quantile(0.5), 3, 1e-15, "median");
    const [lo, hi] = p.credibleInterval(0.9);
    near(lo, 3 - 1.8124611228116756, 1e-12, "t_10 quantile 0.05");
    near(hi, 3 + 1.8124611228116756, 1e-12, "t_10 quantile 0.95");
    // t_10 density at 0 with scale 1: Γ(5.5) / (Γ(5)·sqrt(10π))
    near(p.density(3), 0.38910838396603115, 1e-12, "density at the mode");
  });

  it("variance is +Infinity while alpha_n <= 1, finite after enough evidence", () => {
    const p = new GaussianPosterior(); // default alpha = 1
    assert.equal(p.variance(), Number.POSITIVE_INFINITY);
    const [lo, hi] = p.credibleInterval(0.95);
    assert.ok(Number.isFinite(lo) && Number.isFinite(hi), "the interval stays finite");
    p.update(2);
    assert.ok(Number.isFinite(p.variance()) && p.variance() > 0, `variance ${p.variance()}`);
    // decay back below alpha_n = 1 is not possible with alpha = 1, but a small prior alpha is
    const q = new GaussianPosterior({ mu: 0, kappa: 1, alpha: 0.5, beta: 1 }, 1, 1, 1);
    assert.equal(q.variance(), Number.POSITIVE_INFINITY);
    q.update(0.5);
    assert.ok(Number.isFinite(q.variance()), "alpha_n = 1.5");
  });

  it("keeps beta_n >= prior.beta and is accurate for revenue-scale rewards", () => {
    const prior = { mu: 0, kappa: 0.01, alpha: 1, beta: 1 };
    const rng0 = createRng(1);
    const constant = new GaussianPosterior(prior);
    for (let i = 0; i < 100_000; i++) constant.update(1234.5678);
    assert.ok(constant.betaN >= prior.beta, `beta_n ${constant.betaN}`);
    assert.ok(Number.isFinite(constant.variance()) && constant.variance() >= 0, "finite variance");
    near(constant.mean(), 1234.5678, 1e-6, "mean of constant rewards");
    // with a negligible kappa, sumSq − sum²/kappa_n of equal rewards rounds below zero: clamped
    const flat = new GaussianPosterior({ mu: 0, kappa: 1e-300, alpha: 1, beta: 1 });
    for (let i = 0; i < 1000; i++) flat.update(1234.5678);
    assert.ok(flat.sumSq - (flat.sum * flat.sum) / flat.kappaN < 0, "the rounding case this guards against");
    assert.equal(flat.betaN, 1);
    assert.ok(flat.variance() > 0 && Number.isFinite(flat.sample(rng0)), "still a proper posterior");

    const rng = createRng(8);
    const p = new GaussianPosterior(prior);
    const xs: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const x = 10_000 + 100 * Math.sqrt(-2 * Math.log(rng.nextOpen32())) * Math.cos(2 * Math.PI * rng.next());
      xs.push(x);
      p.update(x);
    }
    const m = xs.reduce((a, b) => a + b) / xs.length;
    const s2 = xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
    near(p.mean(), m, 1e-6, "mean");
    near(p.variance(), s2 / xs.length, 0.01, "variance of the mean ≈ s²/n");
  });

  it("exports a valid default prior used by the default constructor and the registry", () => {
    assert.deepEqual({ ...DEFAULT_GAUSSIAN_PRIOR }, { mu: 0, kappa: 0.01, alpha: 1, beta: 1 });
    assert.deepEqual(new GaussianPosterior().prior, DEFAULT_GAUSSIAN_PRIOR);
    assert.deepEqual(createPosterior("gaussian").toJSON(), new GaussianPosterior().toJSON());
    // the first reward decides the mean: the prior mean weighs 1% of one observation
    const p = new GaussianPosterior();
    p.update(500);
    near(p.mean(), 500 / 1.01, 1e-12, "mean after one reward");
  });

  it("accepts negative, zero and huge finite rewards; rejects non-finite or overflowing ones", () => {
    const p = new GaussianPosterior();
    for (const r of [-250.5, 0, 1e150, -1e150]) p.update(r);
    assert.equal(p.count(), 4);
    const before = p.toJSON();
    assertBanditryError(() => p.update(1e200), "BANDITRY_INVALID_REWARD", "reward");
    assertBanditryError(() => p.update(Number.NaN), "BANDITRY_INVALID_REWARD", "reward");
    assertBanditryError(() => p.update("3" as unknown as number), "BANDITRY_INVALID_REWARD", "reward");
    assert.deepEqual(p.toJSON(), before, "rejected rewards change nothing");
  });

  it("rejects inconsistent or out-of-range evidence", () => {
    assertBanditryError(() => new GaussianPosterior(undefined, -1, 0, 0), "BANDITRY_INVALID_PARAMETER", "n");
    assertBanditryError(() => new GaussianPosterior(undefined, 1, 0, -1), "BANDITRY_INVALID_PARAMETER", "sumSq");
    assertBanditryError(() => new GaussianPosterior(undefined, 1, Number.NaN, 1), "BANDITRY_INVALID_PARAMETER", "sum");
    // sum² > n·sumSq is impossible for real data (checked on stored state, see posteriorFromJSON)
    assertBanditryError(() => validateGaussianEvidence(0, 5, 0), "BANDITRY_INVALID_PARAMETER", "sum");
    assertBanditryError(() => validateGaussianEvidence(2, 4, 1), "BANDITRY_INVALID_PARAMETER", "sum");
    validateGaussianEvidence(2, 4, 8); // sum² = n·sumSq: equal rewards
    validateGaussianEvidence(3, 4 * (1 + 1e-9), 16 / 3); // rounding slack
    // the constructor accepts it (callers rebuilding from raw moments round more), and beta_n clamps
    assert.equal(new GaussianPosterior({ mu: 0, kappa: 1, alpha: 1, beta: 2 }, 2, 4, 1).betaN, 2);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import betaln from "@stdlib/math-base-special-betaln";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { BanditryError } from "../../src/domain/errors.js";
import { bestArmAnalysis } from "../../src/stats/analysis/best-arm-analysis.js";
import { densityCurve } from "../../src/stats/analysis/density-curve.js";
import { summarize } from "../../src/stats/analysis/summarize.js";
import { upliftInterval } from "../../src/stats/analysis/uplift-interval.js";
import { BetaBernoulliPosterior } from "../../src/stats/posteriors/beta-bernoulli.js";
import { GaussianPosterior } from "../../src/stats/posteriors/gaussian.js";
import type { Posterior } from "../../src/stats/posteriors/posterior.js";
import { createRng } from "../../src/stats/rng.js";

const beta = (s: number, f: number) => new BetaBernoulliPosterior({ alpha: 1, beta: 1 }, s, f);

/** A Gaussian posterior with mean m and marginal sd s, from n (large) observations: nearly normal. */
function gaussian(m: number, s: number, n = 20_000): GaussianPosterior {
  // kappa_n ≈ n, alpha_n ≈ n/2, variance ≈ 2·beta_n/n²  ⇒  sumSq ≈ s²·n²
  const prior = { mu: 0, kappa: 1e-6, alpha: 1e-6, beta: 1e-6 };
  const sum = m * n;
  return new GaussianPosterior(prior, n, sum, s * s * n * n + (sum * sum) / n);
}

function within(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tolerance ${tol})`);
}

/** Exact P(θb > θa) for Beta(aa, ba), Beta(ab, bb) with integer ab (Evan Miller's closed form). */
function probabilityBBeatsA(aa: number, ba: number, ab: number, bb: number): number {
  let total = 0;
  for (let i = 0; i < ab; i++) {
    total += Math.exp(betaln(aa + i, ba + bb) - Math.log(bb + i) - betaln(1 + i, bb) - betaln(aa, ba));
  }
  return total;
}

function trapezoid(curve: { x: number; density: number }[]): number {
  let area = 0;
  for (let i = 1; i < curve.length; i++) {
    area += ((curve[i]!.x - curve[i - 1]!.x) * (curve[i]!.density + curve[i - 1]!.density)) / 2;
  }
  return area;
}

describe("bestArmAnalysis", () => {
  it("P(best) sums to 1, is ≈1 for a clearly dominant arm, whose expected loss is ≈0", () => {
    for (const arms of [
      [beta(30, 970), beta(300, 700), beta(60, 940)],
      [gaussian(10, 1), gaussian(25, 1), gaussian(12, 2), gaussian(-5, 5)],
    ]) {
      const r = bestArmAnalysis(arms, createRng(1), { draws: 5000 });
      assert.equal(r.draws, 5000);
      within(
        r.probabilityBest.reduce((a, b) => a + b),
        1,
        1e-12,
        "sum of P(best)",
      );
      within(r.probabilityBest[1]!, 1, 1e-3, "P(dominant arm is best)");
      within(r.expectedLoss[1]!, 0, 1e-6, "expected loss of the dominant arm");
      for (const loss of r.expectedLoss) assert.ok(loss >= 0, `expected loss ${loss}`);
      // a losing arm's expected loss is about its gap to the leader
      within(r.expectedLoss[0]!, arms[1]!.mean() - arms[0]!.mean(), 0.05 * (arms[1]!.mean() - arms[0]!.mean()), "gap");
    }
  });

  it("P(best) ≈ 1/K for identical arms, within the reported standard error", () => {
    const makers: (() => Posterior)[] = [
      () => beta(20, 80),
      () => gaussian(3, 0.5, 50),
      () => new BetaBernoulliPosterior(),
    ];
    for (const make of makers) {
      const k = 4;
      const arms = Array.from({ length: k }, make);
      const r = bestArmAnalysis(arms, createRng(2), { draws: 20_000 });
      for (let i = 0; i < k; i++) {
        const se = r.standardError.probabilityBest[i]!;
        within(se, Math.sqrt(((1 / k) * (1 - 1 / k)) / 20_000), 1e-4, "standard error");
        within(r.probabilityBest[i]!, 1 / k, 4 * se, `P(arm ${i} is best)`);
      }
      // identical arms have identical expected losses
      for (let i = 1; i < k; i++) {
        within(r.expectedLoss[i]!, r.expectedLoss[0]!, 5 * r.standardError.expectedLoss[0]!, "expected loss");
      }
    }
  });

  it("agrees with the exact two-arm Beta probability (Evan Miller's closed form)", () => {
    const [a, b] = [beta(40, 160), beta(50, 150)]; // Beta(41, 161) vs Beta(51, 151)
    const exact = probabilityBBeatsA(41, 161, 51, 151);
    const r = bestArmAnalysis([a, b], createRng(3), { draws: 40_000 });
    within(r.probabilityBest[1]!, exact, 4 * r.standardError.probabilityBest[1]!, "P(b best)");
  });

  it("agrees with the normal closed form for expected loss: E[(θb − θa)+] = mΦ(m/s) + sφ(m/s)", () => {
    const a = gaussian(10, 2);
    const b = gaussian(11, 1.5);
    const m = 1;
    const s = Math.sqrt(4 + 2.25);
    const lossA = m * normalCdf(m / s, 0, 1) + (s * Math.exp((-m * m) / (2 * s * s))) / Math.sqrt(2 * Math.PI);
    const r = bestArmAnalysis([a, b], createRng(4), { draws: 40_000 });
    within(r.expectedLoss[0]!, lossA, 4 * r.standardError.expectedLoss[0]!, "expected loss of a");
    within(r.expectedLoss[1]!, lossA - m, 4 * r.standardError.expectedLoss[1]!, "expected loss of b");
    within(r.probabilityBest[1]!, normalCdf(m / s, 0, 1), 4 * r.standardError.probabilityBest[1]!, "P(b best)");
  });

  it("is deterministic for a seed and validates its input", () => {
    const arms = [beta(3, 7), beta(5, 5)];
    assert.deepEqual(
      bestArmAnalysis(arms, createRng(9), { draws: 500 }),
      bestArmAnalysis(arms, createRng(9), { draws: 500 }),
    );
    assert.equal(bestArmAnalysis(arms, createRng(9)).draws, 10_000);
    assert.deepEqual(bestArmAnalysis([beta(1, 1)], createRng(1), { draws: 10 }).probabilityBest, [1]);
    const invalid = (fn: () => unknown, field: string) =>
      assert.throws(
        fn,
        (e: unknown) => e instanceof BanditryError && e.code === "BANDITRY_INVALID_PARAMETER" && e.field === field,
      );
    invalid(() => bestArmAnalysis([], createRng(1)), "posteriors");
    for (const draws of [0, 1, 2.5, Number.NaN]) invalid(() => bestArmAnalysis(arms, createRng(1), { draws }), "draws");
  });

  it("splits ties evenly (degenerate samplers)", () => {
    const constant = (x: number) => ({ sample: () => x });
    const r = bestArmAnalysis([constant(1), constant(1), constant(0)], createRng(1), { draws: 10 });
    assert.deepEqual(r.probabilityBest, [0.5, 0.5, 0]);
    assert.deepEqual(r.expectedLoss, [0, 0, 1]);
    assert.deepEqual(r.standardError.expectedLoss, [0, 0, 0]);
  });
});

describe("summarize", () => {
  it("reports the mean, the exact credible interval and the evidence count", () => {
    for (const p of [beta(12, 30), gaussian(5, 1, 40)] as Posterior[]) {
      const [lower, upper] = p.credibleInterval(0.9);
      assert.deepEqual(summarize(p, 0.9), { mean: p.mean(), lower, upper, count: p.count() });
      assert.deepEqual(summarize(p), summarize(p, 0.95));
    }
  });
});

describe("densityCurve", () => {
  it("integrates to ≈1 (trapezoid) for both kinds and peaks at the mode", () => {
    const cases: [Posterior, number][] = [
      [beta(3, 7), 0.3],
      [beta(300, 9700), 300 / 10_000],
      [new BetaBernoulliPosterior(), Number.NaN],
      [gaussian(100, 5, 400), 100],
      [new GaussianPosterior({ mu: 2, kappa: 1, alpha: 3, beta: 2 }, 30, 15, 40), Number.NaN],
    ];
    for (const [p, mode] of cases) {
      const curve = densityCurve(p);
      assert.equal(curve.length, 200);
      within(trapezoid(curve), 1, 2e-3, `area under ${JSON.stringify(p.toJSON())}`);
      for (let i = 1; i < curve.length; i++) assert.ok(curve[i]!.x > curve[i - 1]!.x, "x increases");
      for (const { density } of curve) assert.ok(Number.isFinite(density) && density >= 0, `density ${density}`);
      if (!Number.isNaN(mode)) {
        const peak = curve.reduce((a, b) => (b.density > a.density ? b : a));
        const step = curve[1]!.x - curve[0]!.x;
        within(peak.x, mode, step, "peak at the mode");
      }
    }
  });

  it("stays inside (0, 1) for Beta and spans mean ± 4 sd for a near-normal Gaussian", () => {
    for (const p of [beta(0, 0), beta(0, 50), beta(50, 0), new BetaBernoulliPosterior({ alpha: 0.5, beta: 0.5 })]) {
      const curve = densityCurve(p, 50);
      assert.equal(curve.length, 50);
      assert.ok(curve[0]!.x > 0 && curve.at(-1)!.x < 1, "inside (0, 1)");
      for (const { density } of curve) assert.ok(Number.isFinite(density), `finite density ${density}`);
    }
    const g = gaussian(7, 2);
    const curve = densityCurve(g, 3);
    within(curve[0]!.x, 7 - 8, 0.01, "left end");
    within(curve[1]!.x, 7, 1e-9, "centre");
    within(curve[2]!.x, 7 + 8, 0.01, "right end");
    for (const points of [1, 2.5, Number.NaN]) {
      assert.throws(
        () => densityCurve(g, points),
        (e: unknown) => e instanceof BanditryError && e.field === "points",
      );
    }
  });
});

describe("upliftInterval", () => {
  it("matches the normal closed form for the difference of two near-normal posteriors", () => {
    const a = gaussian(12, 1);
    const b = gaussian(10, 0.5);
    const sd = Math.sqrt(1 + 0.25);
    const u = upliftInterval(a, b, createRng(5), { draws: 40_000, level: 0.9 });
    assert.equal(u.draws, 40_000);
    assert.equal(u.level, 0.9);
    within(u.mean, 2, 4 * (sd / Math.sqrt(40_000)), "mean");
    within(u.lower, 2 - 1.6448536269514722 * sd, 0.03, "lower");
    within(u.upper, 2 + 1.6448536269514722 * sd, 0.03, "upper");
    within(u.probabilityPositive, normalCdf(2 / sd, 0, 1), 0.005, "P(a > b)");
  });

  it("contains the difference of the Beta means, is seeded, and accepts any sampler", () => {
    const a = beta(60, 140);
    const b = beta(40, 160);
    const u = upliftInterval(a, b, createRng(6));
    assert.ok(u.lower < a.mean() - b.mean() && a.mean() - b.mean() < u.upper, JSON.stringify(u));
    assert.ok(u.lower > 0, "a clearly beats b");
    assert.deepEqual(upliftInterval(a, b, createRng(6)), u);
    // a bandit group is a mixture over its arms
    const mixture = { sample: (rng: ReturnType<typeof createRng>) => (rng.next() < 0.5 ? a : b).sample(rng) };
    const m = upliftInterval(mixture, b, createRng(7), { draws: 20_000 });
    within(m.mean, (a.mean() - b.mean()) / 2, 0.005, "mixture uplift");
    for (const level of [0, 1, 1.5, Number.NaN]) {
      assert.throws(
        () => upliftInterval(a, b, createRng(1), { level }),
        (e: unknown) => e instanceof BanditryError && e.field === "level",
      );
    }
  });
});

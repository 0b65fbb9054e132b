import assert from "node:assert/strict";
import { describe, it } from "node:test";
import betainc from "@stdlib/math-base-special-betainc";
import tcdf from "@stdlib/stats-base-dists-t-cdf";
import fc from "fast-check";
import { BanditryError, type ErrorCode } from "../../src/domain/errors.js";
import { BetaBernoulliPosterior } from "../../src/stats/posteriors/beta-bernoulli.js";
import { GaussianPosterior } from "../../src/stats/posteriors/gaussian.js";
import type { Posterior, PosteriorJSON } from "../../src/stats/posteriors/posterior.js";
import { createPosterior, posteriorFromJSON } from "../../src/stats/posteriors/registry.js";
import { createRng, type Rng } from "../../src/stats/rng.js";

/** What the contract needs to know about one posterior model. */
interface PosteriorCase {
  name: string;
  /** A fresh posterior with the prior used throughout the suite. */
  create(): Posterior;
  /** Same kind, different prior: merging with it must fail. */
  createOtherPrior(): Posterior;
  /** Valid rewards for property tests. */
  reward: fc.Arbitrary<number>;
  /** A realistic reward stream (for moment and coverage tests). */
  draw(rng: Rng): number;
  /** Reference CDF of the expected reward's marginal, from @stdlib. */
  cdf(p: Posterior, x: number): number;
  /** Rewards update must reject. */
  invalidRewards: number[];
  /** Priors the constructor must reject, with the field the error names. */
  invalidPriors: { prior: unknown; field: string }[];
  construct(prior: unknown): Posterior;
}

type Obs = [reward: number, weight: number];

const weight = fc.double({ min: 0.05, max: 3, noNaN: true });

function fed(c: PosteriorCase, data: readonly Obs[]): Posterior {
  const p = c.create();
  for (const [r, w] of data) p.update(r, w);
  return p;
}

function close(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

/** The numeric evidence fields of two JSON states agree up to rel; kind and prior exactly. */
function assertSameState(a: PosteriorJSON, b: PosteriorJSON, rel = 1e-9): void {
  assert.equal(a.kind, b.kind);
  assert.deepEqual(a.prior, b.prior);
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  for (const key of Object.keys(ra)) {
    if (typeof ra[key] !== "number") continue;
    assert.ok(close(ra[key] as number, rb[key] as number, rel), `${key}: ${ra[key]} vs ${rb[key]}`);
  }
}

function assertBanditryError(fn: () => unknown, code: ErrorCode, field?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BanditryError, `expected BanditryError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (field !== undefined) assert.equal(e.field, field);
    return true;
  });
}

function runPosteriorContract(c: PosteriorCase): void {
  describe(`posterior contract: ${c.name}`, () => {
    const data = (min = 0, max = 30) => fc.array(fc.tuple(c.reward, weight), { minLength: min, maxLength: max });

    it("update moves the mean from the prior's toward the observed rewards", () => {
      const priorMean = c.create().mean();
      fc.assert(
        fc.property(data(1), (obs) => {
          const p = fed(c, obs);
          const totalW = obs.reduce((s, [, w]) => s + w, 0);
          const dataMean = obs.reduce((s, [r, w]) => s + r * w, 0) / totalW;
          // the posterior mean is a convex combination of the prior mean and the data mean
          const lo = Math.min(priorMean, dataMean);
          const hi = Math.max(priorMean, dataMean);
          const eps = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
          assert.ok(p.mean() >= lo - eps && p.mean() <= hi + eps, `${p.mean()} not in [${lo}, ${hi}]`);
          assert.ok(Math.abs(p.mean() - dataMean) <= Math.abs(priorMean - dataMean) + eps, "closer to the data");
          assert.ok(close(p.count(), totalW), `count ${p.count()} vs ${totalW}`);
        }),
      );
      // strictly, with the prior's weight shrinking as data accumulates
      const rng = createRng(3);
      const p = c.create();
      const seen: number[] = [];
      let lastWeight = 1;
      for (const size of [1, 10, 100, 1000]) {
        while (seen.length < size) {
          const r = c.draw(rng);
          seen.push(r);
          p.update(r);
        }
        const m = average(seen);
        // mean = w·priorMean + (1 − w)·dataMean, so w is the prior's remaining weight
        const w = (p.mean() - m) / (priorMean - m);
        assert.ok(w > 0 && w < lastWeight, `prior weight ${w} after ${size} rewards (was ${lastWeight})`);
        lastWeight = w;
      }
      assert.ok(lastWeight < 0.01, `prior weight ${lastWeight} after 1000 rewards`);
    });

    it("sample is deterministic for a seed and differs across seeds", () => {
      const p = withData(c, 40, 11);
      const draw = (seed: number) => {
        const rng = createRng(seed);
        return Array.from({ length: 20 }, () => p.sample(rng));
      };
      assert.deepEqual(draw(5), draw(5));
      assert.notDeepEqual(draw(5), draw(6));
      for (const x of draw(7)) assert.ok(Number.isFinite(x), `draw ${x}`);
    });

    it("sample moments agree with mean() and variance(), and draws match quantile()", () => {
      // little data, so the posterior is far from normal and a wrong variance formula shows
      const p = withData(c, 10, 12);
      const rng = createRng(99);
      const n = 40_000;
      const xs = new Float64Array(n);
      for (let i = 0; i < n; i++) xs[i] = p.sample(rng);
      const m = average(xs);
      const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
      const se = Math.sqrt(p.variance() / n);
      assert.ok(Math.abs(m - p.mean()) < 5 * se, `sample mean ${m} vs ${p.mean()} (se ${se})`);
      assert.ok(Math.abs(v / p.variance() - 1) < 0.05, `sample variance ${v} vs ${p.variance()}`);
      // the empirical CDF at exact quantiles: the sampler and the quantile function agree
      for (const q of [0.025, 0.25, 0.5, 0.75, 0.975]) {
        const x = p.quantile(q);
        let below = 0;
        for (const s of xs) if (s <= x) below++;
        assert.ok(Math.abs(below / n - q) < 5 * Math.sqrt((q * (1 - q)) / n), `P(X <= q(${q})) = ${below / n}`);
      }
    });

    it("credible interval contains the mean and quantile() is exact against the reference CDF", () => {
      for (const p of [c.create(), withData(c, 5, 21), withData(c, 500, 22)]) {
        const [lo, hi] = p.credibleInterval(0.95);
        assert.ok(lo < p.mean() && p.mean() < hi, `${lo} < ${p.mean()} < ${hi}`);
        assert.ok(Math.abs(c.cdf(p, lo) - 0.025) < 1e-9, `cdf(lower) = ${c.cdf(p, lo)}`);
        assert.ok(Math.abs(c.cdf(p, hi) - 0.975) < 1e-9, `cdf(upper) = ${c.cdf(p, hi)}`);
        const [lo50, hi50] = p.credibleInterval(0.5);
        assert.ok(lo < lo50 && hi50 < hi, "the 50% interval nests in the 95% one");
        for (const q of [1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1 - 1e-4]) {
          assert.ok(Math.abs(c.cdf(p, p.quantile(q)) - q) < 1e-9, `cdf(quantile(${q})) = ${c.cdf(p, p.quantile(q))}`);
        }
      }
    });

    it("density is the derivative of the reference CDF", () => {
      const p = withData(c, 30, 23);
      for (const q of [0.05, 0.3, 0.5, 0.8, 0.95]) {
        const x = p.quantile(q);
        const h = 1e-5 * Math.sqrt(p.variance());
        const numeric = (c.cdf(p, x + h) - c.cdf(p, x - h)) / (2 * h);
        assert.ok(close(p.density(x), numeric, 1e-4), `density(${x}) = ${p.density(x)} vs ${numeric}`);
      }
    });

    it("round-trips through JSON", () => {
      fc.assert(
        fc.property(data(), (obs) => {
          const p = fed(c, obs);
          const json = JSON.parse(JSON.stringify(p.toJSON()));
          const q = posteriorFromJSON(json);
          assert.equal(q.kind, p.kind);
          assert.deepEqual(q.toJSON(), p.toJSON());
          assert.equal(q.mean(), p.mean());
          assert.equal(q.variance(), p.variance());
        }),
      );
    });

    it("clone is independent of the original", () => {
      const p = withData(c, 10, 24);
      const q = p.clone();
      assert.deepEqual(q.toJSON(), p.toJSON());
      q.update(c.draw(createRng(1)));
      assert.notDeepEqual(q.toJSON(), p.toJSON());
    });

    it("merge equals updating one posterior with both data sets", () => {
      fc.assert(
        fc.property(data(), data(), (d1, d2) => {
          const merged = fed(c, d1).merge(fed(c, d2));
          assertSameState(merged.toJSON(), fed(c, [...d1, ...d2]).toJSON());
        }),
      );
    });

    it("merge is associative and commutative (up to 1e-9)", () => {
      fc.assert(
        fc.property(data(), data(), data(), (d1, d2, d3) => {
          const [a, b, cc] = [fed(c, d1), fed(c, d2), fed(c, d3)];
          assertSameState(a.merge(b).merge(cc).toJSON(), a.merge(b.merge(cc)).toJSON());
          assertSameState(a.merge(b).toJSON(), b.merge(a).toJSON());
          assert.ok(close(a.merge(b).mean(), b.merge(a).mean()), "commutative mean");
        }),
      );
    });

    it("decay moves monotonically toward the prior; decay(1) is identity; factors compose", () => {
      const prior = c.create();
      const factor = fc.double({ min: 1e-6, max: 1, noNaN: true });
      fc.assert(
        fc.property(data(1), factor, factor, (obs, f1, f2) => {
          const [small, large] = f1 <= f2 ? [f1, f2] : [f2, f1];
          const p = fed(c, obs);
          const ps = p.clone();
          ps.decay(small);
          const pl = p.clone();
          pl.decay(large);
          const dist = (q: Posterior) => Math.abs(q.mean() - prior.mean());
          const eps = 1e-12 * Math.max(1, Math.abs(p.mean()));
          assert.ok(dist(ps) <= dist(pl) + eps && dist(pl) <= dist(p) + eps, "mean distance to prior");
          assert.ok(ps.count() <= pl.count() && pl.count() <= p.count(), "evidence count");
          assert.ok(ps.count() >= 0, "count stays non-negative");

          // decay(f) is the posterior of the same data with every weight scaled by f
          assertSameState(
            ps.toJSON(),
            fed(
              c,
              obs.map(([r, w]): Obs => [r, w * small]),
            ).toJSON(),
          );

          const same = p.clone();
          same.decay(1);
          assert.deepEqual(same.toJSON(), p.toJSON());

          const twice = p.clone();
          twice.decay(f1);
          twice.decay(f2);
          const once = p.clone();
          once.decay(f1 * f2);
          assertSameState(twice.toJSON(), once.toJSON(), 1e-12);
        }),
      );
      // a tiny factor forgets nearly everything
      const p = withData(c, 100, 25);
      p.decay(1e-12);
      assert.ok(Math.abs(p.mean() - prior.mean()) < 1e-6 * Math.max(1, Math.abs(prior.mean())), `mean ${p.mean()}`);
      assert.ok(p.count() < 1e-9, `count ${p.count()}`);
      for (const f of [0, -0.5, 1.5, Number.NaN])
        assertBanditryError(() => p.decay(f), "BANDITRY_INVALID_PARAMETER", "factor");
    });

    it("rejects bad priors, rewards, weights and merges", () => {
      for (const { prior, field } of c.invalidPriors) {
        assertBanditryError(() => c.construct(prior), "BANDITRY_INVALID_PARAMETER", field);
      }
      const p = c.create();
      for (const r of c.invalidRewards) assertBanditryError(() => p.update(r), "BANDITRY_INVALID_REWARD", "reward");
      for (const w of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        assertBanditryError(() => p.update(c.draw(createRng(1)), w), "BANDITRY_INVALID_PARAMETER", "weight");
      }
      assert.equal(p.count(), 0, "a rejected update leaves the posterior unchanged");
      for (const other of [c.createOtherPrior(), ...otherKinds(p)]) {
        assertBanditryError(() => p.merge(other), "BANDITRY_POSTERIOR_MISMATCH");
        assertBanditryError(() => other.merge(p), "BANDITRY_POSTERIOR_MISMATCH");
      }
      for (const q of [-0.1, 1.1, Number.NaN])
        assertBanditryError(() => p.quantile(q), "BANDITRY_INVALID_PARAMETER", "p");
      for (const l of [0, 1.5]) assertBanditryError(() => p.credibleInterval(l), "BANDITRY_INVALID_PARAMETER", "level");
    });
  });
}

function average(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

function withData(c: PosteriorCase, n: number, seed: number): Posterior {
  const rng = createRng(seed);
  const p = c.create();
  for (let i = 0; i < n; i++) p.update(c.draw(rng));
  return p;
}

function otherKinds(p: Posterior): Posterior[] {
  return p.kind === "beta" ? [createPosterior("gaussian")] : [createPosterior("beta")];
}

runPosteriorContract({
  name: "Beta-Bernoulli",
  create: () => new BetaBernoulliPosterior({ alpha: 1, beta: 1 }),
  createOtherPrior: () => new BetaBernoulliPosterior({ alpha: 2, beta: 1 }),
  // binary and fractional rewards
  reward: fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  draw: (rng) => (rng.next() < 0.3 ? 1 : 0),
  cdf: (p, x) => {
    const b = p as BetaBernoulliPosterior;
    return x <= 0 ? 0 : x >= 1 ? 1 : betainc(x, b.alpha, b.beta);
  },
  invalidRewards: [-0.01, 1.01, 2, Number.NaN, Number.POSITIVE_INFINITY],
  invalidPriors: [
    { prior: { alpha: 0, beta: 1 }, field: "prior.alpha" },
    { prior: { alpha: -1, beta: 1 }, field: "prior.alpha" },
    { prior: { alpha: 1, beta: Number.NaN }, field: "prior.beta" },
    { prior: { alpha: Number.POSITIVE_INFINITY, beta: 1 }, field: "prior.alpha" },
  ],
  construct: (prior) => new BetaBernoulliPosterior(prior as BetaBernoulliPosterior["prior"]),
});

runPosteriorContract({
  name: "Gaussian (Normal-Inverse-Gamma)",
  create: () => new GaussianPosterior({ mu: 10, kappa: 0.5, alpha: 2, beta: 3 }),
  createOtherPrior: () => new GaussianPosterior({ mu: 10, kappa: 0.5, alpha: 2, beta: 4 }),
  // revenue-like: negatives (refunds), zeros and large values
  reward: fc.oneof(fc.constant(0), fc.double({ min: -1e3, max: 1e4, noNaN: true })),
  draw: (rng) => 25 + 8 * Math.sqrt(-2 * Math.log(rng.nextOpen32())) * Math.cos(2 * Math.PI * rng.next()),
  cdf: (p, x) => {
    const g = p as GaussianPosterior;
    return tcdf((x - g.muN) / g.scale(), 2 * g.alphaN);
  },
  invalidRewards: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  invalidPriors: [
    { prior: { mu: 0, kappa: 1, alpha: 0, beta: 1 }, field: "prior.alpha" },
    { prior: { mu: 0, kappa: 1, alpha: -2, beta: 1 }, field: "prior.alpha" },
    { prior: { mu: Number.NaN, kappa: 1, alpha: 1, beta: 1 }, field: "prior.mu" },
    { prior: { mu: 0, kappa: 0, alpha: 1, beta: 1 }, field: "prior.kappa" },
    { prior: { mu: 0, kappa: 1, alpha: 1, beta: Number.POSITIVE_INFINITY }, field: "prior.beta" },
  ],
  construct: (prior) => new GaussianPosterior(prior as GaussianPosterior["prior"]),
});

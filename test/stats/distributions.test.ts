import assert from "node:assert/strict";
import { describe, it } from "node:test";
import betainc from "@stdlib/math-base-special-betainc";
import gammainc from "@stdlib/math-base-special-gammainc";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { BanditryError } from "../../src/domain/errors.js";
import { sampleBeta } from "../../src/stats/distributions/beta.js";
import { sampleExponential } from "../../src/stats/distributions/exponential.js";
import { sampleGamma } from "../../src/stats/distributions/gamma.js";
import { sampleNormal, sampleStandardNormal } from "../../src/stats/distributions/normal.js";
import { createRng, type Rng } from "../../src/stats/rng.js";

/** Kolmogorov–Smirnov critical value at α = 0.001: √(−ln(α/2)/2)/√n. */
function ksCritical(n: number): number {
  return Math.sqrt(-Math.log(0.0005) / 2) / Math.sqrt(n);
}

/**
 * One-sample KS statistic of xs (sorted in place) against a continuous CDF. The supremum is
 * taken at every `stride`-th order statistic inside (lo, hi): a lower bound of the full
 * statistic, so the α = 0.001 critical value keeps its level. lo/hi leave out the ends where
 * doubles round many draws to the same value (Beta(0.01, 0.01) has 35% of its mass within
 * 1e-16 of 1, which all prints as 1.0; Gamma(0.01) underflows to 0 one time in a thousand).
 */
function ksStatistic(xs: Float64Array, cdf: (x: number) => number, lo = 1e-300, hi = 1 - 1e-12, stride = 1): number {
  xs.sort();
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i += stride) {
    const x = xs[i]!;
    if (!(x > lo && x < hi)) continue;
    let first = i;
    while (first > 0 && xs[first - 1] === x) first--;
    let last = i;
    while (last + 1 < n && xs[last + 1] === x) last++;
    const f = cdf(x);
    d = Math.max(d, Math.abs((last + 1) / n - f), Math.abs(first / n - f));
  }
  return d;
}

function draw(n: number, seed: number, sample: (rng: Rng) => number): Float64Array {
  const rng = createRng(seed);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = sample(rng);
  return xs;
}

/** Sample mean and variance against the exact ones, within 4.5 standard errors. */
function assertMoments(xs: Float64Array, mean: number, variance: number, excessKurtosis: number, what: string): void {
  const n = xs.length;
  let m = 0;
  for (const x of xs) m += x;
  m /= n;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  v /= n - 1;
  const seMean = Math.sqrt(variance / n);
  const seVar = variance * Math.sqrt((excessKurtosis + 2) / n);
  assert.ok(Math.abs(m - mean) < 4.5 * seMean, `${what}: mean ${m} vs ${mean} (se ${seMean})`);
  assert.ok(Math.abs(v - variance) < 4.5 * seVar, `${what}: variance ${v} vs ${variance} (se ${seVar})`);
}

function assertKs(xs: Float64Array, cdf: (x: number) => number, what: string, lo?: number, hi?: number): void {
  const stride = Math.max(1, Math.floor(xs.length / 5000)); // at most ~5000 CDF evaluations
  const d = ksStatistic(xs, cdf, lo, hi, stride);
  const crit = ksCritical(xs.length);
  assert.ok(d < crit, `${what}: KS D = ${d.toFixed(5)} >= ${crit.toFixed(5)} (n = ${xs.length})`);
}

function assertInvalid(f: () => unknown, field: string, value: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof BanditryError);
    assert.equal(e.code, "BANDITRY_INVALID_PARAMETER");
    assert.equal(e.field, field);
    assert.ok(e.message.includes(field) && e.message.includes(value), e.message);
    return true;
  });
}

// tiny (0.01, 0.1, 0.5), below and around 1, moderate, huge, and very unequal shapes; the
// regimes of sampleBeta: Jöhnk (both < 1, 1/2 and 1/2 special), boosted (one < 1), ratio
const BETA_SHAPES: readonly [number, number][] = [
  [0.01, 0.01],
  [0.1, 0.1],
  [0.5, 0.5],
  [0.2, 0.8],
  [0.5, 0.3],
  [0.95, 0.99],
  [0.01, 2],
  [0.1, 3],
  [0.5, 20],
  [4, 0.3],
  [0.999, 1],
  [1, 1],
  [1, 2.5],
  [2, 3],
  [50, 50],
  [3000, 7],
  [1e5, 1e5],
  [1e6, 1],
  [1, 1e6],
];
const GAMMA_SHAPES = [0.01, 0.1, 0.5, 0.9, 1, 1.5, 2, 3.7, 50, 1e5];
const N = 20_000;

describe("sampleBeta", () => {
  for (const [a, b] of BETA_SHAPES) {
    it(`matches Beta(${a}, ${b}): moments and KS against the regularized incomplete beta`, () => {
      const xs = draw(N, 7 + a * 1000 + b, (rng) => sampleBeta(rng, a, b));
      for (const x of xs) assert.ok(x >= 0 && x <= 1, `draw ${x} outside [0, 1]`);
      const s = a + b;
      const mean = a / s;
      const variance = (a * b) / (s * s * (s + 1));
      const kurt = (6 * ((a - b) ** 2 * (s + 1) - a * b * (s + 2))) / (a * b * (s + 2) * (s + 3));
      assertMoments(xs, mean, variance, kurt, `Beta(${a}, ${b})`);
      assertKs(xs, (x) => betainc(x, a, b), `Beta(${a}, ${b})`);
    });
  }

  it("is sensitive: a large sample of Beta(50, 50) passes the KS test that Beta(50.05, 50) fails", () => {
    // The critical value at n = 2e6 is 0.0014, the KS distance between the two laws 0.002.
    const xs = draw(2_000_000, 11, (rng) => sampleBeta(rng, 50, 50));
    assertKs(xs, (x) => betainc(x, 50, 50), "Beta(50, 50), n = 2e6");
    const d = ksStatistic(xs, (x) => betainc(x, 50.05, 50), 0, 1, 100);
    assert.ok(d > ksCritical(xs.length), `KS against Beta(50.05, 50) only ${d}`);
  });

  it("never returns NaN, even for shapes at the edges of double precision", () => {
    const rng = createRng(3);
    for (const [a, b] of [
      [1e-300, 1e-300],
      [1e-300, 1],
      [1, 1e-300],
      [1e-310, 1e-310],
      [1e-310, 0.5],
      [0.001, 0.001],
      [1e300, 1e300],
      [1e300, 1],
      [1e-300, 1e300],
    ] as const) {
      for (let i = 0; i < 2000; i++) {
        const x = sampleBeta(rng, a, b);
        assert.ok(x >= 0 && x <= 1, `Beta(${a}, ${b}) gave ${x}`);
      }
    }
  });

  it("is deterministic for a seed, in every regime", () => {
    for (const [a, b] of [
      [50, 50],
      [0.5, 0.5],
      [0.2, 0.8],
      [0.5, 20],
    ] as const) {
      const first = draw(200, 99, (rng) => sampleBeta(rng, a, b));
      assert.deepEqual(
        draw(200, 99, (rng) => sampleBeta(rng, a, b)),
        first,
      );
      const rng = createRng(1);
      rng.reseed(99);
      assert.deepEqual(
        Float64Array.from({ length: 200 }, () => sampleBeta(rng, a, b)),
        first,
      );
      assert.notDeepEqual(
        draw(200, 100, (r) => sampleBeta(r, a, b)),
        first,
      );
    }
  });

  it("rejects shapes that are not in (0, 1e300] with BANDITRY_INVALID_PARAMETER naming the field", () => {
    const rng = createRng(1);
    assertInvalid(() => sampleBeta(rng, 0, 1), "alpha", "0");
    assertInvalid(() => sampleBeta(rng, -2, 1), "alpha", "-2");
    assertInvalid(() => sampleBeta(rng, Number.NaN, 1), "alpha", "NaN");
    assertInvalid(() => sampleBeta(rng, Number.POSITIVE_INFINITY, 1), "alpha", "Infinity");
    assertInvalid(() => sampleBeta(rng, 1, 0), "beta", "0");
    assertInvalid(() => sampleBeta(rng, 0.5, Number.NaN), "beta", "NaN");
    assertInvalid(() => sampleBeta(rng, 2, -1e-9), "beta", "-1e-9");
    assertInvalid(() => sampleBeta(rng, 2, 1e301), "beta", "1e+301");
  });
});

describe("sampleGamma", () => {
  for (const k of GAMMA_SHAPES) {
    it(`matches Gamma(${k}): moments and KS against the regularized incomplete gamma`, () => {
      const xs = draw(N, 5 + k * 100, (rng) => sampleGamma(rng, k));
      for (const x of xs) assert.ok(x >= 0 && x < Number.POSITIVE_INFINITY, `draw ${x}`);
      assertMoments(xs, k, k, 6 / k, `Gamma(${k})`);
      assertKs(xs, (x) => gammainc(x, k), `Gamma(${k})`, 1e-300, Number.POSITIVE_INFINITY);
    });
  }

  it("is deterministic for a seed", () => {
    for (const k of [0.3, 1, 7]) {
      assert.deepEqual(
        draw(200, 4, (rng) => sampleGamma(rng, k)),
        draw(200, 4, (rng) => sampleGamma(rng, k)),
      );
    }
  });

  it("rejects a shape that is not in (0, 1e300] with BANDITRY_INVALID_PARAMETER naming shape", () => {
    const rng = createRng(1);
    assertInvalid(() => sampleGamma(rng, 0), "shape", "0");
    assertInvalid(() => sampleGamma(rng, -1), "shape", "-1");
    assertInvalid(() => sampleGamma(rng, Number.NaN), "shape", "NaN");
    assertInvalid(() => sampleGamma(rng, Number.POSITIVE_INFINITY), "shape", "Infinity");
  });
});

describe("sampleStandardNormal and sampleNormal", () => {
  it("match N(0, 1): moments and KS against the normal CDF (n = 2e6: sensitive to the wedges)", () => {
    const xs = draw(2_000_000, 21, sampleStandardNormal);
    assertMoments(xs, 0, 1, 0, "N(0, 1)");
    assertKs(xs, (x) => normalCdf(x, 0, 1), "N(0, 1)", Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  });

  it("draw the tail beyond the ziggurat's last layer (|x| > 3.654) at the right rate and shape", () => {
    const r = 3.6541528853610088;
    const xs = draw(2_000_000, 22, sampleStandardNormal);
    let count = 0;
    let excess = 0;
    let positive = 0;
    for (const x of xs) {
      if (Math.abs(x) > r) {
        count++;
        excess += Math.abs(x) - r;
        if (x > 0) positive++;
      }
    }
    const p = 2 * normalCdf(-r, 0, 1);
    const expected = xs.length * p;
    assert.ok(Math.abs(count - expected) < 4.5 * Math.sqrt(expected), `${count} tail draws, expected ${expected}`);
    assert.ok(Math.abs(positive - count / 2) < 4.5 * Math.sqrt(count / 4), `${positive} of ${count} positive`);
    // E[|Z| − r | |Z| > r] = φ(r)/(1 − Φ(r)) − r
    const meanExcess = Math.exp(-0.5 * r * r) / Math.sqrt(2 * Math.PI) / normalCdf(-r, 0, 1) - r;
    assert.ok(
      Math.abs(excess / count - meanExcess) < 0.2 * meanExcess,
      `mean excess ${excess / count} vs ${meanExcess}`,
    );
  });

  it("sampleNormal scales and shifts, and is deterministic for a seed", () => {
    const xs = draw(N, 23, (rng) => sampleNormal(rng, -3, 0.25));
    assertMoments(xs, -3, 0.0625, 0, "N(-3, 0.25²)");
    assertKs(xs, (x) => normalCdf(x, -3, 0.25), "N(-3, 0.25²)", Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    assert.deepEqual(draw(100, 24, sampleStandardNormal), draw(100, 24, sampleStandardNormal));
    assert.equal(sampleNormal(createRng(1), 5, 0), 5);
  });

  it("sampleNormal rejects a negative or non-finite sd naming sd", () => {
    const rng = createRng(1);
    assertInvalid(() => sampleNormal(rng, 0, -1), "sd", "-1");
    assertInvalid(() => sampleNormal(rng, 0, Number.NaN), "sd", "NaN");
    assertInvalid(() => sampleNormal(rng, 0, Number.POSITIVE_INFINITY), "sd", "Infinity");
  });
});

describe("sampleExponential", () => {
  it("matches Exp(1): moments, KS (n = 2e6), and the tail beyond the last layer (x > 7.697)", () => {
    const xs = draw(2_000_000, 31, sampleExponential);
    assertMoments(xs, 1, 1, 6, "Exp(1)");
    assertKs(xs, (x) => -Math.expm1(-x), "Exp(1)", 0, Number.POSITIVE_INFINITY);
    const r = 7.69711747013105;
    let count = 0;
    let excess = 0;
    for (const x of xs) {
      if (x > r) {
        count++;
        excess += x - r;
      }
    }
    const expected = xs.length * Math.exp(-r);
    assert.ok(Math.abs(count - expected) < 4.5 * Math.sqrt(expected), `${count} tail draws, expected ${expected}`);
    // memoryless: the excess over r is Exp(1) again
    assert.ok(Math.abs(excess / count - 1) < 4.5 / Math.sqrt(count), `mean excess ${excess / count}`);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BanditryError, type ErrorCode } from "../../src/domain/errors.js";
import { BayesianLinearRegression } from "../../src/stats/linear/bayesian-linear-regression.js";
import { choleskySemidefinite, choleskyUpper } from "../../src/stats/linear/cholesky.js";
import { type SparseVector, sparseFromDense } from "../../src/stats/linear/sparse-vector.js";
import { createRng, type Rng } from "../../src/stats/rng.js";

function assertBanditryError(fn: () => unknown, code: ErrorCode, field: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BanditryError, `expected a BanditryError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.field, field);
    return true;
  });
}

interface Obs {
  x: SparseVector;
  dense: Float64Array;
  reward: number;
  weight: number;
}

/** Sparse inputs like hashed features: a few slots, some repeated (collisions), values ±1 or real. */
function observations(rng: Rng, d: number, n: number, nnz = 6): Obs[] {
  return Array.from({ length: n }, () => {
    const dense = new Float64Array(d);
    for (let k = 0; k < nnz; k++)
      dense[rng.nextInt(d)]! += rng.next() < 0.5 ? (rng.next() < 0.5 ? 1 : -1) : 4 * rng.next() - 2;
    return {
      x: sparseFromDense(dense),
      dense,
      reward: rng.next() < 0.3 ? 1 : rng.next(),
      weight: 0.2 + 2 * rng.next(),
    };
  });
}

function fed(d: number, data: readonly Obs[], prior = { lambda: 2, noiseVariance: 0.3 }): BayesianLinearRegression {
  const m = new BayesianLinearRegression(d, prior);
  for (const o of data) m.update(o.x, o.reward, o.weight);
  return m;
}

/** Solves M y = v by Gaussian elimination with partial pivoting: a reference independent of the model's code. */
function solve(mat: Float64Array, v: Float64Array, d: number): Float64Array {
  const a = Float64Array.from(mat);
  const y = Float64Array.from(v);
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]!) > Math.abs(a[p * d + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < d; k++) [a[c * d + k], a[p * d + k]] = [a[p * d + k]!, a[c * d + k]!];
      [y[c], y[p]] = [y[p]!, y[c]!];
    }
    for (let r = c + 1; r < d; r++) {
      const f = a[r * d + c]! / a[c * d + c]!;
      if (f === 0) continue;
      for (let k = c; k < d; k++) a[r * d + k]! -= f * a[c * d + k]!;
      y[r]! -= f * y[c]!;
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let s = y[r]!;
    for (let k = r + 1; k < d; k++) s -= a[r * d + k]! * y[k]!;
    y[r] = s / a[r * d + r]!;
  }
  return y;
}

/** The ridge solution (XᵀWX + ρI)⁻¹ XᵀW r, built from the raw data. */
function ridge(data: readonly Obs[], d: number, rho: number): Float64Array {
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) a[i * d + i] = rho;
  for (const o of data) {
    for (let i = 0; i < d; i++) {
      if (o.dense[i] === 0) continue;
      b[i]! += o.weight * o.reward * o.dense[i]!;
      for (let j = 0; j < d; j++) a[i * d + j]! += o.weight * o.dense[i]! * o.dense[j]!;
    }
  }
  return solve(a, b, d);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** RᵀR as a full matrix. */
function gramOfFactor(r: Float64Array, d: number): Float64Array {
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k <= Math.min(i, j); k++) s += r[k * d + i]! * r[k * d + j]!;
      a[i * d + j] = s;
    }
  }
  return a;
}

describe("Cholesky factorizations", () => {
  it("choleskyUpper gives RᵀR = A and refuses a matrix that is not positive definite", () => {
    const d = 5;
    const rng = createRng(3);
    const data = observations(rng, d, 20, 3);
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) a[i * d + i] = 0.5;
    for (const o of data)
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j]! += o.dense[i]! * o.dense[j]!;
    const r = new Float64Array(d * d);
    assert.ok(choleskyUpper(a, d, r), "positive definite");
    assert.ok(maxAbsDiff(gramOfFactor(r, d), a) < 1e-9, "RᵀR = A");
    for (let i = 1; i < d; i++) for (let j = 0; j < i; j++) assert.equal(r[i * d + j], 0);
    assert.equal(choleskyUpper(new Float64Array([1, 2, 2, 1]), 2, new Float64Array(4)), false);
  });

  it("choleskySemidefinite reproduces a singular covariance", () => {
    // rank 2 in 3 dimensions: the third row is the sum of the first two
    const v = [
      [1, 2, 0],
      [0, 1, 3],
    ];
    const rows = [v[0]!, v[1]!, [1, 3, 3]];
    const c = new Float64Array(9);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) c[i * 3 + j] = rows[i]!.reduce((s, x, k) => s + x * rows[j]![k]!, 0);
    const l = new Float64Array(9);
    choleskySemidefinite(c, 3, l);
    const back = new Float64Array(9);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) back[i * 3 + j]! += l[i * 3 + k]! * l[j * 3 + k]!;
    assert.ok(maxAbsDiff(back, c) < 1e-9, `L Lᵀ = C, off by ${maxAbsDiff(back, c)}`);
    assert.equal(l[2 * 3 + 2], 0);
  });
});

describe("BayesianLinearRegression", () => {
  it("after many rank-one updates, the factor equals a fresh factorization of the precision (to 1e-9)", () => {
    const d = 24;
    const m = fed(d, observations(createRng(11), d, 600));
    const fresh = new Float64Array(d * d);
    assert.ok(choleskyUpper(m.precision(), d, fresh), "precision is positive definite");
    const diff = maxAbsDiff(m.factor(), fresh);
    assert.ok(diff < 1e-9, `|R − chol(A)| = ${diff}`);
    const back = maxAbsDiff(gramOfFactor(m.factor(), d), m.precision());
    assert.ok(back < 1e-9 * 600, `|RᵀR − A| = ${back}`);
  });

  it("the posterior mean is the ridge solution with penalty λσ²", () => {
    const d = 16;
    const data = observations(createRng(12), d, 200);
    const m = fed(d, data);
    const diff = maxAbsDiff(m.mean(), ridge(data, d, 2 * 0.3));
    assert.ok(diff < 1e-9, `|θ̂ − ridge| = ${diff}`);
    // and the mean is kept up to date as data arrives
    const more = observations(createRng(13), d, 50);
    for (const o of more) m.update(o.x, o.reward, o.weight);
    assert.ok(maxAbsDiff(m.mean(), ridge([...data, ...more], d, 0.6)) < 1e-9, "after more updates");
    assert.equal(
      m.count,
      [...data, ...more].reduce((s, o) => s + o.weight, 0),
    );
  });

  it("draws θ̃ from N(θ̂, σ² A⁻¹): mean and variance of x·θ̃ match, seeded draws repeat", () => {
    const d = 8;
    const m = fed(d, observations(createRng(14), d, 30));
    const x = sparseFromDense([1, 0, -1, 0.5, 0, 0, 2, 0]);
    const mean = x.values.reduce((s, v, k) => (k < x.length ? s + v * m.mean()[x.indices[k]!]! : s), 0);
    const variance = m.variance(x);
    const rng = createRng(15);
    const theta = new Float64Array(d);
    const n = 20_000;
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      m.sample(rng, theta);
      let score = 0;
      for (let k = 0; k < x.length; k++) score += x.values[k]! * theta[x.indices[k]!]!;
      s1 += score;
      s2 += score * score;
    }
    const sampleMean = s1 / n;
    const sampleVar = s2 / n - sampleMean ** 2;
    assert.ok(Math.abs(sampleMean - mean) < 5 * Math.sqrt(variance / n), `mean ${sampleMean} vs ${mean}`);
    assert.ok(Math.abs(sampleVar / variance - 1) < 0.05, `variance ${sampleVar} vs ${variance}`);
    const a = m.sample(createRng(99), new Float64Array(d));
    const b = m.sample(createRng(99), new Float64Array(d));
    assert.deepEqual(a, b);
    // a scale of 2 doubles the spread around the same mean
    const wide = m.sample(createRng(99), new Float64Array(d), 2);
    for (let i = 0; i < d; i++)
      assert.ok(Math.abs(wide[i]! - m.mean()[i]! - 2 * (a[i]! - m.mean()[i]!)) < 1e-12, `slot ${i}`);
  });

  it("decay is exponential forgetting toward the prior: A ← γA + (1 − γ)ρI, b ← γb", () => {
    const d = 12;
    const data = observations(createRng(16), d, 100);
    const exact = new BayesianLinearRegression(d, { lambda: 2, noiseVariance: 0.3 }, 1);
    for (const o of data) exact.update(o.x, o.reward, o.weight);
    const before = exact.precision();
    const meanBefore = Float64Array.from(exact.mean());
    exact.decay(0.8);
    const rho = 0.6;
    const want = before.map((v, k) => 0.8 * v + (k % (d + 1) === 0 ? 0.2 * rho : 0));
    assert.ok(maxAbsDiff(exact.precision(), want) < 1e-12, "precision");
    const fresh = new Float64Array(d * d);
    choleskyUpper(want, d, fresh);
    assert.ok(maxAbsDiff(exact.factor(), fresh) < 1e-9, "factor re-made");
    assert.ok(Math.abs(exact.count - 0.8 * data.reduce((s, o) => s + o.weight, 0)) < 1e-9, "count");
    const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
    assert.ok(norm(exact.mean()) < norm(meanBefore), "the mean shrinks toward the prior mean 0");
    for (let i = 0; i < 200; i++) exact.decay(0.8);
    assert.ok(norm(exact.mean()) < 1e-12, "all evidence forgotten: mean 0");
    const prior = new Float64Array(d * d).map((_, k) => (k % (d + 1) === 0 ? rho : 0));
    assert.ok(maxAbsDiff(exact.precision(), prior) < 1e-12, "all evidence forgotten: prior precision");
  });

  it("lazy decay keeps a valid factor with a reduced prior, then re-factorizes with the full prior", () => {
    const d = 12;
    const data = observations(createRng(17), d, 100);
    const m = fed(d, data); // refactorBelow 0.5
    m.decay(0.9);
    assert.equal(m.priorScale, 0.9);
    assert.ok(maxAbsDiff(gramOfFactor(m.factor(), d), m.precision()) < 1e-9, "RᵀR = 0.9ρI + 0.9G");
    const decayedData = data.map((o) => ({ ...o, weight: 0.9 * o.weight }));
    // with a 0.9 prior the mean is the ridge solution of the decayed data with penalty 0.9ρ
    assert.ok(maxAbsDiff(m.mean(), ridge(decayedData, d, 0.9 * 0.6)) < 1e-9, "mean under the reduced prior");
    for (let i = 0; i < 6; i++) m.decay(0.9); // 0.9⁷ ≈ 0.478 < 0.5: re-factorized
    assert.equal(m.priorScale, 1);
    const g = 0.9 ** 7;
    assert.ok(
      maxAbsDiff(
        m.mean(),
        ridge(
          data.map((o) => ({ ...o, weight: g * o.weight })),
          d,
          0.6,
        ),
      ) < 1e-9,
      "full prior",
    );
    assert.ok(maxAbsDiff(gramOfFactor(m.factor(), d), m.precision()) < 1e-9, "factor valid");
  });

  it("merge is the same as learning from both data sets", () => {
    const d = 16;
    const rng = createRng(18);
    const one = observations(rng, d, 80);
    const two = observations(rng, d, 120);
    const merged = fed(d, one).merge(fed(d, two));
    const both = fed(d, [...one, ...two]);
    assert.ok(maxAbsDiff(merged.mean(), both.mean()) < 1e-9, "mean");
    assert.ok(maxAbsDiff(merged.precision(), both.precision()) < 1e-9, "precision");
    assert.ok(maxAbsDiff(merged.factor(), both.factor()) < 1e-9, "factor");
    assert.ok(Math.abs(merged.count - both.count) < 1e-9, "count");
    assertBanditryError(
      () => fed(d, one).merge(new BayesianLinearRegression(d, { lambda: 1, noiseVariance: 0.3 })),
      "BANDITRY_POSTERIOR_MISMATCH",
      "model",
    );
    assertBanditryError(
      () => fed(d, one).merge(new BayesianLinearRegression(d + 1, { lambda: 2, noiseVariance: 0.3 })),
      "BANDITRY_POSTERIOR_MISMATCH",
      "model",
    );
  });

  it("round-trips through plain JSON, and a clone is independent", () => {
    const d = 10;
    const data = observations(createRng(19), d, 60);
    const m = fed(d, data);
    m.decay(0.9);
    const text = JSON.stringify(m.toJSON());
    const back = BayesianLinearRegression.fromJSON(JSON.parse(text));
    assert.deepEqual(back.toJSON(), m.toJSON());
    assert.equal(JSON.stringify(back.toJSON()), text);
    assert.ok(maxAbsDiff(back.mean(), m.mean()) < 1e-12, "mean");
    assert.ok(maxAbsDiff(back.factor(), m.factor()) < 1e-9, "factor");
    const copy = m.clone();
    copy.update(data[0]!.x, 1, 5);
    assert.notDeepEqual(copy.toJSON().target, m.toJSON().target);
    assert.deepEqual(m.toJSON(), back.toJSON());
  });

  it("rejects bad parameters, rewards and JSON, naming the field", () => {
    const m = new BayesianLinearRegression(4, { lambda: 1, noiseVariance: 0.25 });
    const x = sparseFromDense([1, 0, 0, 1]);
    assertBanditryError(() => m.update(x, Number.NaN), "BANDITRY_INVALID_REWARD", "reward");
    assertBanditryError(() => m.update(x, Number.POSITIVE_INFINITY), "BANDITRY_INVALID_REWARD", "reward");
    assertBanditryError(() => m.update(x, 1, -1), "BANDITRY_INVALID_PARAMETER", "weight");
    assertBanditryError(() => m.decay(0), "BANDITRY_INVALID_PARAMETER", "factor");
    assertBanditryError(() => m.decay(1.5), "BANDITRY_INVALID_PARAMETER", "factor");
    assertBanditryError(
      () => new BayesianLinearRegression(0, { lambda: 1, noiseVariance: 1 }),
      "BANDITRY_INVALID_PARAMETER",
      "dimension",
    );
    assertBanditryError(
      () => new BayesianLinearRegression(4, { lambda: 0, noiseVariance: 1 }),
      "BANDITRY_INVALID_PARAMETER",
      "lambda",
    );
    assertBanditryError(
      () => new BayesianLinearRegression(4, { lambda: 1, noiseVariance: -1 }),
      "BANDITRY_INVALID_PARAMETER",
      "noiseVariance",
    );
    m.update(x, 0, 0); // weight 0 changes nothing
    assert.equal(m.count, 0);
    const good = m.toJSON();
    assertBanditryError(() => BayesianLinearRegression.fromJSON("x"), "BANDITRY_INVALID_PARAMETER", "model");
    assertBanditryError(
      () => BayesianLinearRegression.fromJSON({ ...good, gram: [1] }),
      "BANDITRY_INVALID_PARAMETER",
      "model.gram",
    );
    assertBanditryError(
      () => BayesianLinearRegression.fromJSON({ ...good, target: [0, 0, 0, "0"] }),
      "BANDITRY_INVALID_PARAMETER",
      "model.target[3]",
    );
    assertBanditryError(
      () => BayesianLinearRegression.fromJSON({ ...good, count: -1 }),
      "BANDITRY_INVALID_PARAMETER",
      "model.count",
    );
    assertBanditryError(
      () => BayesianLinearRegression.fromJSON({ ...good, lambda: undefined }),
      "BANDITRY_INVALID_PARAMETER",
      "model.lambda",
    );
    const negative = good.gram.map((v, k) => (k === 0 ? -5 : v));
    assertBanditryError(
      () => BayesianLinearRegression.fromJSON({ ...good, gram: negative }),
      "BANDITRY_INVALID_PARAMETER",
      "gram",
    );
  });
});

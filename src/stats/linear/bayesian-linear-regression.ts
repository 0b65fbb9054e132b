import { BanditryError, requireFinite } from "../../domain/errors.js";
import { sampleStandardNormal } from "../distributions/normal.js";
import type { Rng } from "../rng.js";
import { choleskyUpper } from "./cholesky.js";
import { choleskyRankOneUpdate } from "./cholesky-rank-one-update.js";
import type { SparseVector } from "./sparse-vector.js";
import { solveLowerTransposed, solveUpper } from "./triangular-solve.js";

export interface LinearRegressionPrior {
  /** Prior precision λ of every weight: θ ~ N(0, λ⁻¹ I). */
  lambda: number;
  /** Reward noise variance σ² (0.25 bounds any reward in [0, 1]). */
  noiseVariance: number;
}

/** Plain-JSON state: the additive evidence (Gram matrix and target) with the prior. */
export interface BayesianLinearRegressionJSON {
  dimension: number;
  lambda: number;
  noiseVariance: number;
  /** Share of the prior precision currently in the factor (see decay). */
  priorScale: number;
  /** Weighted number of observations, after decay. */
  count: number;
  /** Upper triangle of G = Σ w x xᵀ, row by row: d(d + 1)/2 numbers. */
  gram: number[];
  /** b = Σ w r x. */
  target: number[];
}

/** Re-factorize when decay has left less than this share of the prior precision in the factor. */
export const DEFAULT_REFACTOR_BELOW = 0.5;
export const MIN_REFACTOR_BELOW = 1e-3;

/**
 * Bayesian linear regression r = x·θ + ε, ε ~ N(0, σ²), prior θ ~ N(0, λ⁻¹ I), over d dense
 * weights. With ρ = λσ² and A = ρI + G, G = Σ w x xᵀ, b = Σ w r x, the posterior is
 * N(θ̂, σ² A⁻¹) with θ̂ = A⁻¹ b: the ridge solution with penalty ρ.
 *
 * The state is the evidence (G, b) plus the upper Cholesky factor R of A (A = RᵀR). An
 * observation costs a sparse update of G (O(nnz²)) and a rank-one update of R (O(d²)); no
 * inverse is ever formed. After a change, c = R⁻ᵀb costs one triangular solve (O(d²/2),
 * cached); then a posterior draw R⁻¹(c + v·σ·z) costs one more, and so does the mean R⁻¹c
 * (cached). G is kept so that merge, persistence and the occasional re-factorization start from
 * exact sums, not from a factor that has accumulated rounding.
 *
 * Decay (forgetting, for drift) wants A ← γA + (1 − γ)ρI, b ← γb. Scaling R by √γ gives γA
 * in O(d²); the missing (1 − γ)ρI is a full-rank correction that would cost a fresh O(d³/3)
 * factorization. So the factor is allowed to hold a reduced prior, A = cρI + G with c =
 * priorScale, and is re-factorized with the full prior (c = 1) once c < refactorBelow. With
 * the default 0.5, per-event decay γ = 0.999 re-factorizes every ~690 events; between times
 * the prior is at most 2× weaker (a little more exploration, a little less shrinkage).
 * refactorBelow = 1 makes every decay exact.
 */
export class BayesianLinearRegression {
  readonly dimension: number;
  readonly lambda: number;
  readonly noiseVariance: number;
  readonly refactorBelow: number;
  count = 0;
  priorScale = 1;

  /** G, upper triangle of a row-major d×d array. */
  private readonly gram: Float64Array;
  private readonly target: Float64Array;
  /** R, upper triangular row-major, RᵀR = priorScale·ρI + G. */
  private readonly r: Float64Array;
  /** c = R⁻ᵀb: θ̂ = R⁻¹c, and x·θ̂ = (R⁻ᵀx)·c for a whitened x. */
  private readonly whitenedB: Float64Array;
  private readonly theta: Float64Array;
  /** Whether whitenedB and theta are up to date (both start at 0 = R⁻ᵀ0). */
  private cValid = true;
  private thetaValid = true;
  /** Dense scratch, kept all-zero between calls. */
  private readonly work: Float64Array;
  private readonly touched: Int32Array;

  constructor(dimension: number, prior: LinearRegressionPrior, refactorBelow = DEFAULT_REFACTOR_BELOW) {
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", `dimension must be an integer >= 1, got ${dimension}`, {
        field: "dimension",
      });
    }
    this.dimension = dimension;
    this.lambda = requireFinite("lambda", prior.lambda, { positive: true });
    this.noiseVariance = requireFinite("noiseVariance", prior.noiseVariance, { positive: true });
    // a floor keeps the prior from fading until the factor underflows
    this.refactorBelow = requireFinite("refactorBelow", refactorBelow, { min: MIN_REFACTOR_BELOW, max: 1 });
    const d = dimension;
    this.gram = new Float64Array(d * d);
    this.target = new Float64Array(d);
    this.r = new Float64Array(d * d);
    this.whitenedB = new Float64Array(d);
    this.theta = new Float64Array(d);
    this.work = new Float64Array(d);
    this.touched = new Int32Array(d);
    const sqrtRho = Math.sqrt(this.ridge);
    for (let i = 0; i < d; i++) this.r[i * d + i] = sqrtRho;
  }

  /** Ridge penalty ρ = λσ². */
  get ridge(): number {
    return this.lambda * this.noiseVariance;
  }

  /** σ. */
  get noiseSd(): number {
    return Math.sqrt(this.noiseVariance);
  }

  /** Adds one observation (reward r for input x) with a weight w ≥ 0. */
  update(x: SparseVector, reward: number, weight = 1): void {
    if (typeof reward !== "number" || !Number.isFinite(reward)) {
      throw new BanditryError("BANDITRY_INVALID_REWARD", `reward must be a finite number, got ${String(reward)}`, {
        field: "reward",
      });
    }
    requireFinite("weight", weight, { min: 0 });
    if (weight === 0) return;
    const d = this.dimension;
    const u = this.work;
    const sw = Math.sqrt(weight);
    for (let k = 0; k < x.length; k++) u[x.indices[k]!]! += sw * x.values[k]!;
    // the non-zero slots in increasing order: an O(d) scan is cheaper than de-duplicating and
    // sorting the sparse indices (which repeat when features collide)
    const t = this.touched;
    let n = 0;
    for (let i = 0; i < d; i++) if (u[i] !== 0) t[n++] = i;
    const g = this.gram;
    const b = this.target;
    const swr = sw * reward;
    for (let p = 0; p < n; p++) {
      const i = t[p]!;
      const ui = u[i]!;
      b[i]! += swr * ui;
      const row = i * d;
      for (let q = p; q < n; q++) g[row + t[q]!]! += ui * u[t[q]!]!;
    }
    choleskyRankOneUpdate(this.r, d, u);
    u.fill(0);
    this.count += weight;
    this.invalidate();
  }

  /** c = R⁻ᵀ b (so θ̂ = R⁻¹c). A view of internal state: read it, do not keep or modify it. */
  whitenedTarget(): Float64Array {
    if (!this.cValid) {
      this.whitenedB.set(this.target);
      solveLowerTransposed(this.r, this.dimension, this.whitenedB);
      this.cValid = true;
    }
    return this.whitenedB;
  }

  /** Posterior mean θ̂ = A⁻¹ b. A view of internal state: read it, do not keep or modify it. */
  mean(): Float64Array {
    if (!this.thetaValid) {
      this.theta.set(this.whitenedTarget());
      solveUpper(this.r, this.dimension, this.theta);
      this.thetaValid = true;
    }
    return this.theta;
  }

  /**
   * Writes a posterior draw θ̃ = θ̂ + scale·σ·R⁻¹z, z ~ N(0, I), into out (scale > 1 explores
   * more), computed as R⁻¹(c + scale·σ·z): one back substitution, not two.
   */
  sample(rng: Rng, out: Float64Array, scale = 1): Float64Array {
    const d = this.dimension;
    const c = this.whitenedTarget();
    const s = scale * this.noiseSd;
    for (let i = 0; i < d; i++) out[i] = c[i]! + s * sampleStandardNormal(rng);
    solveUpper(this.r, d, out);
    return out;
  }

  /**
   * Writes w = R⁻ᵀ x (dense) into out, so that x·θ has posterior variance σ²|w|² and two inputs
   * x, y have covariance σ² w_x·w_y.
   */
  whiten(x: SparseVector, out: Float64Array): Float64Array {
    out.fill(0, 0, this.dimension);
    for (let k = 0; k < x.length; k++) out[x.indices[k]!]! += x.values[k]!;
    solveLowerTransposed(this.r, this.dimension, out);
    return out;
  }

  /** Posterior variance of x·θ. */
  variance(x: SparseVector): number {
    const w = this.whiten(x, new Float64Array(this.dimension));
    let s = 0;
    for (let i = 0; i < w.length; i++) s += w[i]! * w[i]!;
    return this.noiseVariance * s;
  }

  /** Forgetting toward the prior: evidence × factor, factor in (0, 1] (see the class comment). */
  decay(factor: number): void {
    requireFinite("factor", factor, { positive: true, max: 1 });
    if (factor === 1) return;
    const d = this.dimension;
    const g = this.gram;
    for (let i = 0; i < d; i++) for (let j = i * d + i; j < i * d + d; j++) g[j]! *= factor;
    for (let i = 0; i < d; i++) this.target[i]! *= factor;
    const s = Math.sqrt(factor);
    const r = this.r;
    for (let i = 0; i < d; i++) for (let j = i * d + i; j < i * d + d; j++) r[j]! *= s;
    this.count *= factor;
    this.priorScale *= factor;
    this.invalidate();
    if (this.priorScale < this.refactorBelow) this.refactorize();
  }

  /** Factorizes A = ρI + G afresh (full prior, no accumulated rounding). O(d³/3). */
  refactorize(priorScale = 1): void {
    const d = this.dimension;
    const r = this.r;
    r.set(this.gram);
    const shift = priorScale * this.ridge;
    for (let i = 0; i < d; i++) r[i * d + i]! += shift;
    if (!choleskyUpper(r, d, r)) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", "gram is not positive semi-definite", { field: "gram" });
    }
    this.priorScale = priorScale;
    this.invalidate();
  }

  /** The precision A = priorScale·ρI + G as a full symmetric row-major d×d array (a copy). */
  precision(): Float64Array {
    const d = this.dimension;
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = this.gram[i * d + j]! + (i === j ? this.priorScale * this.ridge : 0);
        a[i * d + j] = v;
        a[j * d + i] = v;
      }
    }
    return a;
  }

  /** The upper factor R (RᵀR = precision()). A view of internal state: read only. */
  factor(): Float64Array {
    return this.r;
  }

  /** b = Σ w r x (a view of internal state: read only). */
  targetVector(): Float64Array {
    return this.target;
  }

  /** Same dimension and prior: evidence can be added. */
  compatible(other: BayesianLinearRegression): boolean {
    return (
      other.dimension === this.dimension && other.lambda === this.lambda && other.noiseVariance === this.noiseVariance
    );
  }

  /** A new model whose evidence is the sum of both (same dimension and prior required), full prior. */
  merge(other: BayesianLinearRegression): BayesianLinearRegression {
    if (!this.compatible(other)) {
      throw new BanditryError(
        "BANDITRY_POSTERIOR_MISMATCH",
        `can only merge linear models with the same dimension, lambda and noiseVariance` +
          ` (${this.dimension}, ${this.lambda}, ${this.noiseVariance} vs ${other.dimension}, ${other.lambda}, ${other.noiseVariance})`,
        { field: "model" },
      );
    }
    const m = new BayesianLinearRegression(this.dimension, this, this.refactorBelow);
    for (let i = 0; i < this.gram.length; i++) m.gram[i] = this.gram[i]! + other.gram[i]!;
    for (let i = 0; i < this.dimension; i++) m.target[i] = this.target[i]! + other.target[i]!;
    m.count = this.count + other.count;
    m.refactorize(1);
    return m;
  }

  clone(): BayesianLinearRegression {
    const m = new BayesianLinearRegression(this.dimension, this, this.refactorBelow);
    m.gram.set(this.gram);
    m.target.set(this.target);
    m.r.set(this.r);
    m.count = this.count;
    m.priorScale = this.priorScale;
    m.invalidate();
    return m;
  }

  toJSON(): BayesianLinearRegressionJSON {
    const d = this.dimension;
    const gram: number[] = [];
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) gram.push(this.gram[i * d + j]!);
    return {
      dimension: d,
      lambda: this.lambda,
      noiseVariance: this.noiseVariance,
      priorScale: this.priorScale,
      count: this.count,
      gram,
      target: Array.from(this.target),
    };
  }

  /** Rebuilds a model from toJSON's output, validating every field; re-factorizes (O(d³/3)). */
  static fromJSON(json: unknown, refactorBelow = DEFAULT_REFACTOR_BELOW): BayesianLinearRegression {
    const j = objectField(json, "model");
    const dimension = numberField(j, "dimension");
    const m = new BayesianLinearRegression(
      dimension,
      { lambda: numberField(j, "lambda"), noiseVariance: numberField(j, "noiseVariance") },
      refactorBelow,
    );
    const priorScale = requireFinite("model.priorScale", numberField(j, "priorScale"), { positive: true, max: 1 });
    m.count = requireFinite("model.count", numberField(j, "count"), { min: 0 });
    const d = dimension;
    const gram = numberArrayField(j, "gram", (d * (d + 1)) / 2);
    const target = numberArrayField(j, "target", d);
    let k = 0;
    for (let i = 0; i < d; i++) {
      for (let jj = i; jj < d; jj++) m.gram[i * d + jj] = gram[k++]!;
    }
    m.target.set(target);
    m.refactorize(priorScale);
    return m;
  }

  private invalidate(): void {
    this.cValid = false;
    this.thetaValid = false;
  }
}

function invalidJSON(field: string, message: string): BanditryError {
  return new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} ${message}`, { field });
}

function objectField(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalidJSON(field, "must be an object");
  return value as Record<string, unknown>;
}

function numberField(obj: Record<string, unknown>, key: string): number {
  const v = obj[key];
  if (typeof v !== "number")
    throw invalidJSON(`model.${key}`, `must be a number, got ${JSON.stringify(v) ?? "undefined"}`);
  return v;
}

function numberArrayField(obj: Record<string, unknown>, key: string, length: number): number[] {
  const v = obj[key];
  const field = `model.${key}`;
  if (!Array.isArray(v) || v.length !== length) {
    throw invalidJSON(
      field,
      `must be an array of ${length} numbers, got ${Array.isArray(v) ? `${v.length}` : typeof v}`,
    );
  }
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== "number" || !Number.isFinite(v[i]))
      throw invalidJSON(`${field}[${i}]`, "must be a finite number");
  }
  return v as number[];
}

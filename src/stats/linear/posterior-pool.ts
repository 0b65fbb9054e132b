import type { Rng } from "../rng.js";
import type { SparseVector } from "./sparse-vector.js";

/** A decision of the pool policy and the exact probabilities of that policy. */
export interface PoolRanking {
  /** Index of the chosen action (never an ineligible one). */
  chosen: number;
  /** The pool member whose draw made the choice. */
  member: number;
  /** x·θ̃_member of every action (ineligible ones too). */
  scores: Float64Array;
  /** Exactly P(action is chosen) under the pool policy: wins (ties split) / size; ineligible 0. */
  probabilities: Float64Array;
}

/**
 * M posterior draws θ̃_1..θ̃_M of one model state, kept to rank many calls. The pool policy
 * picks a uniformly random member m and takes the eligible action with the largest x·θ̃_m (ties
 * uniformly at random), so each action's probability is exactly the share of members under which
 * it wins (ties split evenly): no Monte Carlo error, and a rank costs K·M sparse dot products
 * instead of K dense triangular solves.
 *
 * The draws are stored transposed (slot i of every member side by side), so scoring one sparse
 * x against all members walks contiguous memory: for each entry (i, v), scores += v · row i.
 */
export class PosteriorPool {
  /** weights[i·size + m] = θ̃_m[i]. */
  private readonly weights: Float64Array;
  private scratch = new Float64Array(0);

  /**
   * @param seed the seed the draws came from (with the model state, it reproduces the pool)
   * @param version the model's version the draws came from
   */
  constructor(
    readonly size: number,
    readonly dimension: number,
    readonly seed: number,
    readonly version: number,
  ) {
    this.weights = new Float64Array(size * dimension);
  }

  /** Stores draw θ̃ as member m. */
  set(m: number, theta: Float64Array): void {
    const M = this.size;
    for (let i = 0; i < this.dimension; i++) this.weights[i * M + m] = theta[i]!;
  }

  /** A copy of member m's draw θ̃_m. */
  member(m: number): Float64Array {
    const out = new Float64Array(this.dimension);
    for (let i = 0; i < this.dimension; i++) out[i] = this.weights[i * this.size + m]!;
    return out;
  }

  /**
   * The pool policy's decision over `vectors[0..k)` among `eligible` (indices, at least one),
   * and every action's exact probability under it. NaN scores count as −∞, as in choose().
   *
   * `shared`: the first `shared` entries are the same in every vector (bias and context
   * features). They add the same amount to every action's score under a member, so the
   * comparisons leave them out; the reported scores include them.
   */
  rank(vectors: readonly SparseVector[], k: number, eligible: readonly number[], rng: Rng, shared = 0): PoolRanking {
    const M = this.size;
    if (this.scratch.length < k * M) this.scratch = new Float64Array(k * M);
    const s = this.scratch;
    for (const a of eligible) this.scoreInto(vectors[a]!, shared, s, a * M);
    const probabilities = new Float64Array(k);
    const member = rng.nextInt(M);
    let chosen = eligible[0]!;
    if (eligible.length === 1) {
      probabilities[chosen] = 1;
    } else {
      // wins are counted (1/ties each) and divided once: without ties the probabilities are exact k/M
      for (let m = 0; m < M; m++) {
        let best = Number.NEGATIVE_INFINITY;
        let ties = 0;
        for (const a of eligible) {
          const v = score(s[a * M + m]!);
          if (v > best) {
            best = v;
            ties = 1;
          } else if (v === best) ties++;
        }
        const p = 1 / ties;
        let seen = 0;
        const pick = m === member && ties > 1 ? rng.nextInt(ties) : 0;
        for (const a of eligible) {
          if (score(s[a * M + m]!) !== best) continue;
          probabilities[a]! += p;
          if (m === member && seen++ === pick) chosen = a;
        }
      }
      for (const a of eligible) probabilities[a]! /= M;
    }
    const scores = new Float64Array(k);
    const common = shared > 0 ? this.scoreMember(vectors[0]!, 0, shared, member) : 0;
    for (let a = 0; a < k; a++) scores[a] = common + this.scoreMember(vectors[a]!, shared, vectors[a]!.length, member);
    return { chosen, member, scores, probabilities };
  }

  /** The pool policy's decision only (no probabilities): a random member's best eligible action, K dot products. */
  choose(vectors: readonly SparseVector[], eligible: readonly number[], rng: Rng): number {
    const member = rng.nextInt(this.size);
    let best = eligible[0]!;
    let bestScore = Number.NEGATIVE_INFINITY;
    let ties = 0;
    for (const a of eligible) {
      const v = score(this.scoreMember(vectors[a]!, 0, vectors[a]!.length, member));
      if (v > bestScore) {
        best = a;
        bestScore = v;
        ties = 1;
      } else if (v === bestScore && rng.nextInt(++ties) === 0) best = a;
    }
    return best;
  }

  /**
   * out[offset + m] = Σ_{e ≥ from} x_e·θ̃_m[i_e] for every member m. Eight members at a time, in
   * registers: one pass over x per block instead of a load and a store of out per product.
   */
  private scoreInto(x: SparseVector, from: number, out: Float64Array, offset: number): void {
    const M = this.size;
    const w = this.weights;
    const idx = x.indices;
    const val = x.values;
    const n = x.length;
    let m = 0;
    for (; m + 8 <= M; m += 8) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let e = from; e < n; e++) {
        const v = val[e]!;
        const b = idx[e]! * M + m;
        s0 += v * w[b]!;
        s1 += v * w[b + 1]!;
        s2 += v * w[b + 2]!;
        s3 += v * w[b + 3]!;
        s4 += v * w[b + 4]!;
        s5 += v * w[b + 5]!;
        s6 += v * w[b + 6]!;
        s7 += v * w[b + 7]!;
      }
      const o = offset + m;
      out[o] = s0;
      out[o + 1] = s1;
      out[o + 2] = s2;
      out[o + 3] = s3;
      out[o + 4] = s4;
      out[o + 5] = s5;
      out[o + 6] = s6;
      out[o + 7] = s7;
    }
    for (; m < M; m++) out[offset + m] = this.scoreMember(x, from, n, m);
  }

  /** Σ_{from ≤ e < to} x_e·θ̃_m[i_e]. */
  private scoreMember(x: SparseVector, from: number, to: number, m: number): number {
    let t = 0;
    for (let e = from; e < to; e++) t += x.values[e]! * this.weights[x.indices[e]! * this.size + m]!;
    return t;
  }
}

function score(v: number): number {
  return Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
}

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
   */
  rank(vectors: readonly SparseVector[], k: number, eligible: readonly number[], rng: Rng): PoolRanking {
    const M = this.size;
    if (this.scratch.length < k * M) this.scratch = new Float64Array(k * M);
    const s = this.scratch;
    for (const a of eligible) this.scoreInto(vectors[a]!, s, a * M);
    const probabilities = new Float64Array(k);
    const member = rng.nextInt(M);
    let chosen = eligible[0]!;
    if (eligible.length === 1) {
      probabilities[chosen] = 1;
    } else {
      const share = 1 / M;
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
        const p = share / ties;
        let seen = 0;
        const pick = m === member && ties > 1 ? rng.nextInt(ties) : 0;
        for (const a of eligible) {
          if (score(s[a * M + m]!) !== best) continue;
          probabilities[a]! += p;
          if (m === member && seen++ === pick) chosen = a;
        }
      }
    }
    const scores = new Float64Array(k).fill(Number.NaN);
    for (const a of eligible) scores[a] = s[a * M + member]!;
    for (let a = 0; a < k; a++) if (Number.isNaN(scores[a]!)) scores[a] = this.scoreMember(vectors[a]!, member);
    return { chosen, member, scores, probabilities };
  }

  /** out[offset + m] = x·θ̃_m for every member m. */
  private scoreInto(x: SparseVector, out: Float64Array, offset: number): void {
    const M = this.size;
    const w = this.weights;
    out.fill(0, offset, offset + M);
    for (let e = 0; e < x.length; e++) {
      const v = x.values[e]!;
      const base = x.indices[e]! * M;
      for (let m = 0; m < M; m++) out[offset + m]! += v * w[base + m]!;
    }
  }

  private scoreMember(x: SparseVector, m: number): number {
    let t = 0;
    for (let e = 0; e < x.length; e++) t += x.values[e]! * this.weights[x.indices[e]! * this.size + m]!;
    return t;
  }
}

function score(v: number): number {
  return Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
}

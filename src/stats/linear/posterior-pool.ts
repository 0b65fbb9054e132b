import type { Rng } from "../rng.js";
import { PoolWeights } from "./pool-weights.js";
import type { SparseVector } from "./sparse-vector.js";

/** A decision of the pool policy and the exact probabilities of that policy. */
export interface PoolRanking {
  /** Index of the chosen action (never an ineligible one). */
  chosen: number;
  /** The pool member whose draw made the choice. */
  member: number;
  /**
   * x·θ̃_member of every action (ineligible ones too). Plain arrays, as the probabilities: a
   * Float64Array of more than 8 numbers has its memory outside the heap, which cost about
   * 1.5 µs to allocate and sweep, 6 µs of a rank's CPU for four of them.
   */
  scores: number[];
  /** Exactly P(action is chosen) under the pool policy: wins (ties split) / size; ineligible 0. */
  probabilities: number[];
}

/**
 * M posterior draws θ̃_1..θ̃_M of one model state, kept to rank many calls. The pool policy
 * picks a uniformly random member m and takes the eligible action with the largest x·θ̃_m (ties
 * uniformly at random), so each action's probability is exactly the share of members under which
 * it wins (ties split evenly): no Monte Carlo error, and a rank costs K·M sparse dot products
 * instead of K dense triangular solves.
 *
 * The draws are stored transposed (slot i of every member side by side, see PoolWeights), so
 * scoring one sparse x against all members walks contiguous memory: for each entry (i, v),
 * scores += v · row i (WebAssembly SIMD when the runtime has it).
 */
export class PosteriorPool {
  private readonly w: PoolWeights;
  /** rank()'s per-member scratch: best score, its action, how many actions tie at it. */
  private best = new Float64Array(0);
  private winner = new Int32Array(0);
  private ties = new Int32Array(0);

  /**
   * @param seed the seed the draws came from (with the model state, it reproduces the pool)
   * @param version the model's version the draws came from
   * @param options `wasm: false` scores in JavaScript (the same bits; for tests)
   */
  constructor(
    readonly size: number,
    readonly dimension: number,
    readonly seed: number,
    readonly version: number,
    options: { wasm?: boolean } = {},
  ) {
    this.w = new PoolWeights(size, dimension, options);
  }

  /** How the members are scored: WebAssembly SIMD, or JavaScript where the runtime lacks it. */
  get scoring(): "wasm" | "js" {
    return this.w.wasm ? "wasm" : "js";
  }

  /** Stores draw θ̃ as member m (rounded to single precision, as the pool scores). */
  set(m: number, theta: Float64Array): void {
    const S = this.w.stride;
    const w = this.w.weights;
    for (let i = 0; i < this.dimension; i++) w[i * S + m] = theta[i]!;
  }

  /** Every member's draws as stored (slot-major, padded: PoolWeights' layout): a copy for another thread. */
  weightsCopy(): Float32Array {
    return this.w.weights.slice();
  }

  /** A pool made elsewhere, from its weightsCopy() (another thread's copy of that pool). */
  static fromWeights(
    size: number,
    dimension: number,
    seed: number,
    version: number,
    weights: Float32Array,
    options: { wasm?: boolean } = {},
  ): PosteriorPool {
    const pool = new PosteriorPool(size, dimension, seed, version, options);
    if (weights.length !== pool.w.weights.length) {
      throw new RangeError(`pool weights have ${weights.length} values; ${pool.w.weights.length} expected`);
    }
    pool.w.weights.set(weights);
    return pool;
  }

  /** A copy of member m's draw θ̃_m (as stored: single precision). */
  member(m: number): Float64Array {
    const S = this.w.stride;
    const w = this.w.weights;
    const out = new Float64Array(this.dimension);
    for (let i = 0; i < this.dimension; i++) out[i] = w[i * S + m]!;
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
    let longest = 0;
    for (const a of eligible) longest = Math.max(longest, vectors[a]!.length - shared);
    this.w.reserve(k, longest);
    for (const a of eligible) this.w.score(vectors[a]!, shared, a);
    const member = rng.nextInt(this.size);
    const { chosen, probabilities } = this.decide(0, k, eligible, member, rng);
    // the member's scores: the shared part once, plus each action's own (as scored above when eligible)
    const s = this.w.scores;
    const S = this.w.stride;
    const scores = zeros(k);
    const common = shared > 0 ? this.w.scoreMember(vectors[0]!, 0, shared, member) : 0;
    const isEligible = new Uint8Array(k);
    for (const a of eligible) isEligible[a] = 1;
    for (let a = 0; a < k; a++) {
      const own =
        isEligible[a] === 1 ? s[a * S + member]! : this.w.scoreMember(vectors[a]!, shared, vectors[a]!.length, member);
      scores[a] = common + own;
    }
    return { chosen, member, scores, probabilities };
  }

  /**
   * rank() with the actions' own scores factored through their features: `columns[0..f)` are
   * what one unit of each distinct action feature adds to a vector (its slot and its products
   * with the context), `mixes[a]` lists action a's features as (column, value), and `common` is
   * the part every vector shares (bias and context). Action a's own score is then
   * Σ value·(column · θ̃_m): f column scorings and one weighted sum per action, instead of one
   * scoring of each action's (context × action) entries — fewer when actions share features.
   * The scores equal rank()'s up to rounding; the probabilities are exact for these scores.
   */
  rankFactored(
    columns: readonly SparseVector[],
    f: number,
    mixes: readonly SparseVector[],
    k: number,
    eligible: readonly number[],
    rng: Rng,
    common: SparseVector,
  ): PoolRanking {
    let longest = 0;
    for (let j = 0; j < f; j++) longest = Math.max(longest, columns[j]!.length);
    for (let a = 0; a < k; a++) longest = Math.max(longest, mixes[a]!.length);
    this.w.reserve(f + k, longest);
    for (let j = 0; j < f; j++) this.w.score(columns[j]!, 0, j);
    for (let a = 0; a < k; a++) this.w.combine(mixes[a]!, f + a);
    const member = rng.nextInt(this.size);
    const { chosen, probabilities } = this.decide(f, k, eligible, member, rng);
    const s = this.w.scores;
    const S = this.w.stride;
    const scores = zeros(k);
    const base = this.w.scoreMember(common, 0, common.length, member);
    for (let a = 0; a < k; a++) scores[a] = base + s[(f + a) * S + member]!;
    return { chosen, member, scores, probabilities };
  }

  /**
   * The decision of `member` and each eligible action's share of the members' wins, from action
   * a's scores in row `first + a` of the score space.
   */
  private decide(
    first: number,
    k: number,
    eligible: readonly number[],
    member: number,
    rng: Rng,
  ): { chosen: number; probabilities: number[] } {
    const M = this.size;
    const S = this.w.stride;
    const s = this.w.scores;
    const probabilities = zeros(k);
    let chosen = eligible[0]!;
    const E = eligible.length;
    if (E === 1) {
      probabilities[chosen] = 1;
      return { chosen, probabilities };
    }
    // each member's best score, its action and how many eligible actions reach it
    if (this.best.length < M) {
      this.best = new Float64Array(M);
      this.winner = new Int32Array(M);
      this.ties = new Int32Array(M);
    }
    const best = this.best;
    const winner = this.winner;
    const ties = this.ties;
    if (this.w.wins(first, eligible)) {
      // the kernel leaves NaN out where choose() counts it as −∞: a member whose best is −∞ is recounted below
      const b = this.w.best;
      const c = this.w.count;
      const w = this.w.winner;
      for (let m = 0; m < M; m++) {
        best[m] = b[m]!;
        ties[m] = b[m] === Number.NEGATIVE_INFINITY ? 0 : c[m]!;
        winner[m] = eligible[w[m]!]!;
      }
    } else {
      best.fill(Number.NEGATIVE_INFINITY, 0, M);
      winner.fill(chosen, 0, M);
      ties.fill(0, 0, M);
      for (let j = 0; j < E; j++) {
        const a = eligible[j]!;
        const row = (first + a) * S;
        for (let m = 0; m < M; m++) {
          const v = score(s[row + m]!);
          const b = best[m]!;
          if (v > b) {
            best[m] = v;
            winner[m] = a;
            ties[m] = 1;
          } else if (v === b) ties[m]!++;
        }
      }
    }
    // wins are counted (1/ties each) and divided once: without ties the probabilities are exact k/M
    for (let m = 0; m < M; m++) {
      let t = ties[m]!;
      if (t === 0) for (let j = 0; j < E; j++) if (score(s[(first + eligible[j]!) * S + m]!) === best[m]) t++;
      if (t === 1) {
        probabilities[winner[m]!]! += 1;
        if (m === member) chosen = winner[m]!;
        continue;
      }
      const p = 1 / t;
      let seen = 0;
      const pick = m === member ? rng.nextInt(t) : 0;
      for (let j = 0; j < E; j++) {
        const a = eligible[j]!;
        if (score(s[(first + a) * S + m]!) !== best[m]) continue;
        probabilities[a]! += p;
        if (m === member && seen++ === pick) chosen = a;
      }
    }
    for (const a of eligible) probabilities[a]! /= M;
    return { chosen, probabilities };
  }

  /** The pool policy's decision only (no probabilities): a random member's best eligible action, K dot products. */
  choose(vectors: readonly SparseVector[], eligible: readonly number[], rng: Rng): number {
    const member = rng.nextInt(this.size);
    let best = eligible[0]!;
    let bestScore = Number.NEGATIVE_INFINITY;
    let ties = 0;
    for (const a of eligible) {
      const v = score(this.w.scoreMember(vectors[a]!, 0, vectors[a]!.length, member));
      if (v > bestScore) {
        best = a;
        bestScore = v;
        ties = 1;
      } else if (v === bestScore && rng.nextInt(++ties) === 0) best = a;
    }
    return best;
  }
}

function score(v: number): number {
  return Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
}

/** `n` zeros in a plain array (see PoolRanking.scores). */
function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

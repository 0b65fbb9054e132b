import { BanditryError } from "../../domain/errors.js";
import { sampleStandardNormal } from "../distributions/normal.js";
import { argmaxRandomTie } from "../ranking/argmax-random-tie.js";
import { requireDraws } from "../ranking/require-draws.js";
import { createRng, type Rng } from "../rng.js";
import { BayesianLinearRegression, type BayesianLinearRegressionJSON } from "./bayesian-linear-regression.js";
import { choleskySemidefinite } from "./cholesky.js";
import { FeatureSpace, type HashedFeatures } from "./feature-space.js";
import { HASH_NAME, hashIndex, hashSign } from "./hash-feature.js";
import { HashNumbers } from "./hash-numbers.js";
import {
  EVIDENCE_OPTIONS,
  type LinearThompsonOptions,
  type ResolvedLinearThompsonOptions,
  resolveLinearThompsonOptions,
} from "./linear-thompson-options.js";
import { NameTable } from "./name-table.js";
import { type PoolRanking, PosteriorPool } from "./posterior-pool.js";
import { createSparseVector, reserveSparseVector, type SparseVector, sparseDot } from "./sparse-vector.js";

/** Most columns a factored pool rank scores (each is a row of M scores in the pool's score space). */
const MAX_FACTORED_COLUMNS = 2048;

/** An action to rank: an id and Personalizer-style features (nested JSON; may be absent). */
export interface LinearAction {
  id: string;
  features?: unknown;
}

export interface LinearChooseOptions {
  /** Ids of actions that must not be chosen (they get probability 0); unknown ids are ignored. */
  excluded?: Iterable<string>;
  /**
   * JSON.stringify of the context features and of each action's features ("null" when absent),
   * when the caller has them: the model then caches the hashed features under these texts
   * (actions under their id and text), so a repeated catalog is flattened and hashed once.
   * The features are then taken as their JSON text, as the decision log keeps them.
   */
  featureTexts?: FeatureTexts;
}

export interface FeatureTexts {
  context: string;
  /** In the order of the actions. */
  actions: readonly string[];
}

export interface LinearRankOptions extends LinearChooseOptions {
  /** Monte Carlo draws for the probabilities (default: the model's `draws` option). */
  draws?: number;
}

export interface LinearChoice {
  /** Index in `actions` of the chosen action (never an excluded one). */
  chosen: number;
  /** x·θ̃ of every action under the posterior draw θ̃ that made the choice (excluded ones too). */
  scores: Float64Array;
}

export interface LinearRanking extends LinearChoice {
  /** Posterior mean score x·θ̂ of every action. */
  means: Float64Array;
  /** Posterior standard deviation of every action's score (before the exploration multiplier). */
  sds: Float64Array;
  /** P(action is chosen) under the policy: sums to 1, excluded actions 0. */
  probabilities: Float64Array;
  /** Monte Carlo draws behind the probabilities; 0 when they are exact (one eligible action). */
  draws: number;
  /** Largest sqrt(p(1 − p)/draws) over actions (plug-in); 0 when exact. */
  standardError: number;
}

export interface FeatureContribution {
  /** Readable feature name, e.g. `ctx.user.type=new*act.id=a3`. */
  name: string;
  /** The feature's value (1 for one-hot features). */
  value: number;
  /** Its weight in the posterior mean: ±θ̂ of the slot it hashes to (shared when features collide). */
  weight: number;
  /** value × weight; the contributions add up to the score. */
  contribution: number;
}

export interface LinearExplanation {
  /** Posterior mean score x·θ̂ of the action in the context. */
  score: number;
  /** Per feature, largest |contribution| first. */
  contributions: FeatureContribution[];
}

export interface NamedWeight {
  name: string;
  /** Slot the feature hashes to. */
  index: number;
  /** ±θ̂ of that slot: the change in score per unit of the feature. */
  weight: number;
}

export interface LinearThompsonJSON {
  kind: "linear-thompson";
  version: 1;
  /** The feature hash; a model hashed otherwise cannot be read. */
  hash: typeof HASH_NAME;
  options: ResolvedLinearThompsonOptions;
  model: BayesianLinearRegressionJSON;
  /** Feature names seen, as [full 32-bit hash, name]. */
  names: [number, string][];
}

/**
 * Linear contextual Thompson sampling (Agrawal & Goyal 2013) over hashed features: each
 * (context, action) pair becomes a vector x (bias, context features, action features and their
 * products; see FeatureSpace), the expected reward is modelled as x·θ with a Gaussian
 * posterior on θ (BayesianLinearRegression), and a decision draws one θ̃ from the posterior and
 * takes the action with the largest x·θ̃.
 *
 * Probabilities: a draw's scores over the K actions are jointly Gaussian with mean x_a·θ̂ and
 * covariance v²σ² w_a·w_b where w = R⁻ᵀx, so rank() draws K-dimensional score vectors from that
 * (exactly the distribution of X θ̃) instead of d-dimensional θ̃: each Monte Carlo draw costs
 * O(K²) rather than O(d²), and the K whitenings O(K·d²) are paid once per rank.
 *
 * The methods reuse scratch buffers; being synchronous, calls on one model never interleave.
 */
export class LinearThompson {
  readonly options: Readonly<ResolvedLinearThompsonOptions>;
  private readonly space: FeatureSpace;
  private model: BayesianLinearRegression;
  private names: NameTable;
  private readonly vectors: SparseVector[] = [];
  /** The factored pool rank's columns (one per distinct action feature), shared part, and feature → column. */
  private readonly columns: SparseVector[] = [];
  private readonly common = createSparseVector();
  private readonly features = new HashNumbers();
  private readonly theta: Float64Array;
  private whitened = new Float64Array(0);
  private changes = 0;

  constructor(options: LinearThompsonOptions = {}) {
    const o = resolveLinearThompsonOptions(options);
    this.options = o;
    this.space = new FeatureSpace({
      dimension: o.dimension,
      hashSeed: o.hashSeed,
      interactions: o.interactions,
      actionIdFeature: o.actionIdFeature,
      limits: { maxDepth: o.maxDepth, maxFeatures: o.maxFeatures, maxNameLength: o.maxNameLength },
      maxVectorFeatures: o.maxVectorFeatures,
    });
    this.model = new BayesianLinearRegression(
      o.dimension,
      { lambda: o.lambda, noiseVariance: o.noiseVariance },
      o.refactorBelow,
    );
    this.names = new NameTable(o.maxNames);
    this.theta = new Float64Array(o.dimension);
  }

  /** Weighted number of rewards learned from (after decay). */
  get count(): number {
    return this.model.count;
  }

  /** Counts the changes of the posterior (updates and decays): a pool drawn at another version is stale. */
  get version(): number {
    return this.changes;
  }

  /** The underlying regression (read it; changing it bypasses the name table). */
  get regression(): BayesianLinearRegression {
    return this.model;
  }

  /** One decision: a posterior draw θ̃ and the eligible action with the largest x·θ̃. */
  choose(
    contextFeatures: unknown,
    actions: readonly LinearAction[],
    rng: Rng,
    options: LinearChooseOptions = {},
  ): LinearChoice {
    const k = this.vectorize(contextFeatures, actions, options.featureTexts);
    const eligible = this.eligible(actions, options.excluded);
    const theta = this.model.sample(rng, this.theta, this.options.exploration);
    const scores = new Float64Array(k);
    const masked = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
    for (let a = 0; a < k; a++) scores[a] = sparseDot(this.vectors[a]!, theta);
    for (const a of eligible) masked[a] = scores[a]!;
    return { chosen: argmaxRandomTie(masked, k, rng), scores };
  }

  /**
   * A decision (as choose) plus, for every action, its posterior mean and spread and its
   * probability of being chosen, estimated from `draws` independent draws with the same rng.
   */
  rank(
    contextFeatures: unknown,
    actions: readonly LinearAction[],
    rng: Rng,
    options: LinearRankOptions = {},
  ): LinearRanking {
    const draws = requireDraws(options.draws ?? this.options.draws);
    const { chosen, scores } = this.choose(contextFeatures, actions, rng, options);
    const k = actions.length;
    const eligible = this.eligible(actions, options.excluded);
    const d = this.options.dimension;
    // whitened inputs w = R⁻ᵀx give both moments: x·θ̂ = w·R⁻ᵀb and Var(x·θ) = σ²|w|²
    const c = this.model.whitenedTarget();
    const means = new Float64Array(k);
    const sds = new Float64Array(k);
    if (this.whitened.length < k * d) this.whitened = new Float64Array(k * d);
    const w = this.whitened;
    for (let a = 0; a < k; a++) {
      const wa = this.model.whiten(this.vectors[a]!, w.subarray(a * d, a * d + d));
      let mean = 0;
      let ss = 0;
      for (let i = 0; i < d; i++) {
        mean += wa[i]! * c[i]!;
        ss += wa[i]! * wa[i]!;
      }
      means[a] = mean;
      sds[a] = Math.sqrt(this.model.noiseVariance * ss);
    }
    const probabilities = new Float64Array(k);
    const m = eligible.length;
    if (m === 1) {
      probabilities[eligible[0]!] = 1;
      return { chosen, scores, means, sds, probabilities, draws: 0, standardError: 0 };
    }
    // covariance of the eligible actions' scores in a draw, and its factor
    const scale = this.options.exploration ** 2 * this.model.noiseVariance;
    const cov = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      const wi = eligible[i]! * d;
      for (let j = 0; j <= i; j++) {
        const wj = eligible[j]! * d;
        let s = 0;
        for (let t = 0; t < d; t++) s += w[wi + t]! * w[wj + t]!;
        cov[i * m + j] = scale * s;
      }
    }
    const lower = new Float64Array(m * m);
    choleskySemidefinite(cov, m, lower);
    const mu = new Float64Array(m);
    for (let i = 0; i < m; i++) mu[i] = means[eligible[i]!]!;
    const z = new Float64Array(m);
    const s = new Float64Array(m);
    const wins = new Float64Array(m);
    for (let n = 0; n < draws; n++) {
      for (let i = 0; i < m; i++) z[i] = sampleStandardNormal(rng);
      for (let i = 0; i < m; i++) {
        const row = i * m;
        let v = mu[i]!;
        for (let j = 0; j <= i; j++) v += lower[row + j]! * z[j]!;
        s[i] = v;
      }
      wins[argmaxRandomTie(s, m, rng)]! += 1;
    }
    let variance = 0;
    for (let i = 0; i < m; i++) {
      const p = wins[i]! / draws;
      probabilities[eligible[i]!] = p;
      variance = Math.max(variance, p * (1 - p));
    }
    return { chosen, scores, means, sds, probabilities, draws, standardError: Math.sqrt(variance / draws) };
  }

  /**
   * `size` posterior draws (one back solve each, with the model's exploration) from a generator
   * seeded with `seed`: the model state and the seed reproduce the pool.
   */
  drawPool(seed: number, size = this.options.poolSize): PosteriorPool {
    const pool = new PosteriorPool(size, this.options.dimension, seed >>> 0, this.changes);
    const rng = createRng(seed);
    for (let m = 0; m < size; m++) pool.set(m, this.model.sample(rng, this.theta, this.options.exploration));
    return pool;
  }

  /**
   * The pool policy's decision (a uniformly random member's draw, its best eligible action) and
   * every action's exact probability under that policy (see PosteriorPool). The pool may be
   * older than the model: its draws are then from an earlier posterior (batched Thompson sampling).
   */
  rankFromPool(
    pool: PosteriorPool,
    contextFeatures: unknown,
    actions: readonly LinearAction[],
    rng: Rng,
    options: LinearChooseOptions = {},
  ): PoolRanking {
    if (pool.dimension !== this.options.dimension) {
      throw new BanditryError(
        "BANDITRY_POSTERIOR_MISMATCH",
        `the pool has dimension ${pool.dimension}, the model ${this.options.dimension}`,
        { field: "dimension" },
      );
    }
    const { ctx, acts } = this.hashedInputs(contextFeatures, actions, options.featureTexts);
    const k = actions.length;
    const eligible = this.eligible(actions, options.excluded);
    const f = this.numberFeatures(ctx, acts);
    if (f > 0) {
      // factored (see PosteriorPool.rankFactored): this.vectors hold each action's (column, value) list
      for (let j = 0; j < f; j++) {
        while (this.columns.length <= j) this.columns.push(createSparseVector());
        this.space.column(ctx, this.features.hashOf(j), this.columns[j]!);
      }
      return pool.rankFactored(this.columns, f, this.vectors, k, eligible, rng, this.space.prefix(ctx, this.common));
    }
    for (let a = 0; a < k; a++) this.space.vector(ctx, acts[a]!, this.vector(a), true);
    return pool.rank(this.vectors, k, eligible, rng, this.sharedPrefix(k));
  }

  /**
   * Numbers the actions' distinct features and writes each action's features as (number,
   * value) into this.vectors; returns how many there are when scoring by feature is cheaper, else
   * 0. By feature: one column per distinct feature (1 + its products with the context) plus one
   * entry per (action, feature); by action: each action's own entries. By feature wins when the
   * actions share features (a category, a numeric feature every action has) and the context is large.
   */
  private numberFeatures(ctx: HashedFeatures, acts: readonly HashedFeatures[]): number {
    if (!this.options.interactions) return 0;
    const table = this.features;
    table.clear();
    let entries = 0;
    for (let a = 0; a < acts.length; a++) {
      const { hashes, values } = acts[a]!;
      const mix = this.vector(a);
      reserveSparseVector(mix, hashes.length);
      for (let e = 0; e < hashes.length; e++) {
        mix.indices[e] = table.number(hashes[e]!);
        mix.values[e] = values[e]!;
      }
      mix.length = hashes.length;
      entries += hashes.length;
    }
    const perFeature = 1 + ctx.hashes.length;
    const cheaper = table.size * perFeature + entries < entries * perFeature;
    return cheaper && table.size <= MAX_FACTORED_COLUMNS ? table.size : 0;
  }

  /** The pool policy's decision alone (K dot products under one random member): index of the chosen action. */
  chooseFromPool(
    pool: PosteriorPool,
    contextFeatures: unknown,
    actions: readonly LinearAction[],
    rng: Rng,
    options: LinearChooseOptions = {},
  ): number {
    this.vectorize(contextFeatures, actions, options.featureTexts, true);
    return pool.choose(this.vectors, this.eligible(actions, options.excluded), rng);
  }

  /** Entries at the start of every action's vector that are the same in all (the bias and the context features). */
  private sharedPrefix(k: number): number {
    const first = this.vectors[0]!;
    let n = first.length;
    for (let a = 1; a < k && n > 0; a++) {
      const v = this.vectors[a]!;
      let i = 0;
      const end = Math.min(n, v.length);
      while (i < end && v.indices[i] === first.indices[i] && v.values[i] === first.values[i]) i++;
      n = i;
    }
    return k === 1 ? 0 : n;
  }

  /** Learns from one reward (any finite number; [0, 1] for Personalizer) for `action` in the context. */
  update(contextFeatures: unknown, action: LinearAction, reward: number, weight = 1): void {
    const ctx = this.space.context(contextFeatures);
    const act = this.actionFeatures(action, "action");
    const x = this.space.vector(ctx, act, this.vector(0));
    this.model.update(x, reward, weight);
    this.changes++;
    if (!this.names.full) this.space.forEachEntry(ctx, act, (h, name) => this.names.record(h, name));
  }

  /**
   * Why the model scores `action` as it does in the context: each feature's contribution to the
   * posterior mean score x·θ̂ (the expected reward, without exploration noise).
   * Features with the same name (e.g. a repeated tag) are summed into one entry.
   */
  explain(contextFeatures: unknown, action: LinearAction, options: { limit?: number } = {}): LinearExplanation {
    const ctx = this.space.context(contextFeatures);
    const act = this.actionFeatures(action, "action");
    const theta = this.model.mean();
    const byName = new Map<string, FeatureContribution>();
    let score = 0;
    for (const e of this.space.entries(ctx, act)) {
      const weight = hashSign(e.hash) * theta[hashIndex(e.hash, this.options.dimension)]!;
      const contribution = e.value * weight;
      score += contribution;
      const seen = byName.get(e.name);
      if (seen === undefined) byName.set(e.name, { name: e.name, value: e.value, weight, contribution });
      else {
        seen.value += e.value;
        seen.contribution += contribution;
      }
    }
    const contributions = [...byName.values()].sort(
      (a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    return {
      score,
      contributions: options.limit === undefined ? contributions : contributions.slice(0, options.limit),
    };
  }

  /** The named features seen in updates (up to maxNames), largest |weight| first: a global feature importance. */
  topFeatures(limit = 20): NamedWeight[] {
    const theta = this.model.mean();
    const d = this.options.dimension;
    const out: NamedWeight[] = [];
    for (const [hash, name] of this.names.entries()) {
      const index = hashIndex(hash, d);
      out.push({ name, index, weight: hashSign(hash) * theta[index]! });
    }
    out.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || (a.name < b.name ? -1 : 1));
    return out.slice(0, limit);
  }

  /** Forgetting toward the prior for drift: evidence × factor, factor in (0, 1] (see BayesianLinearRegression). */
  decay(factor: number): void {
    this.model.decay(factor);
    this.changes++;
  }

  /** A model whose evidence is the sum of both; the options that shape evidence must agree. */
  merge(other: LinearThompson): LinearThompson {
    for (const key of EVIDENCE_OPTIONS) {
      if (this.options[key] !== other.options[key]) {
        throw new BanditryError(
          "BANDITRY_POSTERIOR_MISMATCH",
          `can only merge linear models with the same ${key}: ${String(this.options[key])} vs ${String(other.options[key])}`,
          { field: key },
        );
      }
    }
    const m = new LinearThompson(this.options);
    m.model = this.model.merge(other.model);
    m.names = this.names.merge(other.names);
    return m;
  }

  clone(): LinearThompson {
    const m = new LinearThompson(this.options);
    m.model = this.model.clone();
    m.names = this.names.clone();
    return m;
  }

  toJSON(): LinearThompsonJSON {
    return {
      kind: "linear-thompson",
      version: 1,
      hash: HASH_NAME,
      options: { ...this.options },
      model: this.model.toJSON(),
      names: this.names.toJSON(),
    };
  }

  /** Rebuilds a model from toJSON's output (e.g. after JSON.parse), validating it. */
  static fromJSON(json: unknown): LinearThompson {
    if (typeof json !== "object" || json === null || Array.isArray(json))
      throw invalidJSON("model", "must be an object");
    const j = json as Record<string, unknown>;
    if (j.kind !== "linear-thompson")
      throw invalidJSON("kind", `must be "linear-thompson", got ${JSON.stringify(j.kind)}`);
    if (j.version !== 1) throw invalidJSON("version", `must be 1, got ${JSON.stringify(j.version)}`);
    if (j.hash !== HASH_NAME) throw invalidJSON("hash", `must be "${HASH_NAME}", got ${JSON.stringify(j.hash)}`);
    if (typeof j.options !== "object" || j.options === null) throw invalidJSON("options", "must be an object");
    const m = new LinearThompson(j.options as LinearThompsonOptions);
    const model = BayesianLinearRegression.fromJSON(j.model, m.options.refactorBelow);
    if (!model.compatible(m.model)) {
      throw invalidJSON("model", "dimension, lambda or noiseVariance disagree with options");
    }
    m.model = model;
    if (!Array.isArray(j.names)) throw invalidJSON("names", "must be an array of [hash, name] pairs");
    for (const [i, pair] of (j.names as unknown[]).entries()) {
      if (
        !Array.isArray(pair) ||
        pair.length !== 2 ||
        !Number.isInteger(pair[0]) ||
        pair[0] < 0 ||
        pair[0] > 0xffffffff ||
        typeof pair[1] !== "string"
      ) {
        throw invalidJSON(`names[${i}]`, "must be a [hash, name] pair");
      }
      m.names.record(pair[0], () => pair[1]);
    }
    return m;
  }

  /**
   * Builds every action's vector into this.vectors (`merge`: entries sharing a slot summed, see
   * FeatureSpace.vector); returns the number of actions.
   */
  private vectorize(
    contextFeatures: unknown,
    actions: readonly LinearAction[],
    texts: FeatureTexts | undefined,
    merge = false,
  ): number {
    const { ctx, acts } = this.hashedInputs(contextFeatures, actions, texts);
    for (let a = 0; a < acts.length; a++) this.space.vector(ctx, acts[a]!, this.vector(a), merge);
    return actions.length;
  }

  /** The context's and every action's hashed features, the actions checked (ids, sizes). */
  private hashedInputs(
    contextFeatures: unknown,
    actions: readonly LinearAction[],
    texts: FeatureTexts | undefined,
  ): { ctx: HashedFeatures; acts: HashedFeatures[] } {
    if (!Array.isArray(actions) || actions.length === 0) {
      throw new BanditryError("BANDITRY_NO_ACTIVE_ARMS", "actions is empty: there is no action to choose from", {
        field: "actions",
      });
    }
    if (actions.length > this.options.maxActions) {
      throw new BanditryError(
        "BANDITRY_VALIDATION",
        `actions has ${actions.length} entries; the limit is ${this.options.maxActions}`,
        { field: "actions" },
      );
    }
    if (texts !== undefined && texts.actions.length !== actions.length) {
      throw new BanditryError(
        "BANDITRY_INVALID_PARAMETER",
        `featureTexts has ${texts.actions.length} action texts for ${actions.length} actions`,
        { field: "featureTexts" },
      );
    }
    const ctx = this.space.context(contextFeatures, "contextFeatures", texts?.context);
    const ids = new Set<string>();
    const acts: HashedFeatures[] = [];
    for (let a = 0; a < actions.length; a++) {
      const field = `actions[${a}]`;
      const act = this.actionFeatures(actions[a]!, field, texts?.actions[a]);
      const id = actions[a]!.id;
      if (ids.has(id)) {
        throw new BanditryError("BANDITRY_VALIDATION", `${field}.id ${JSON.stringify(id)} is used by another action`, {
          field: `${field}.id`,
        });
      }
      ids.add(id);
      this.space.requireSize(ctx, act, field);
      acts.push(act);
    }
    return { ctx, acts };
  }

  /** Indices of the actions not excluded; throws when there is none. */
  private eligible(actions: readonly LinearAction[], excluded: Iterable<string> | undefined): number[] {
    const skip = new Set(excluded ?? []);
    const out: number[] = [];
    for (let a = 0; a < actions.length; a++) if (!skip.has(actions[a]!.id)) out.push(a);
    if (out.length === 0) {
      throw new BanditryError("BANDITRY_NO_ACTIVE_ARMS", `all ${actions.length} actions are excluded`, {
        field: "excluded",
      });
    }
    return out;
  }

  private actionFeatures(action: LinearAction, field: string, text?: string): HashedFeatures {
    if (typeof action !== "object" || action === null) {
      throw new BanditryError("BANDITRY_VALIDATION", `${field} must be an object with an id`, { field });
    }
    const id: unknown = action.id;
    if (typeof id !== "string" || id.length === 0 || id.length > this.options.maxNameLength) {
      throw new BanditryError(
        "BANDITRY_VALIDATION",
        `${field}.id must be a string of 1 to ${this.options.maxNameLength} characters, got ${JSON.stringify(id)?.slice(0, 80) ?? String(id)}`,
        { field: `${field}.id` },
      );
    }
    return this.space.action(id, action.features, field, text);
  }

  private vector(i: number): SparseVector {
    while (this.vectors.length <= i) this.vectors.push(createSparseVector());
    return this.vectors[i]!;
  }
}

function invalidJSON(field: string, message: string): BanditryError {
  return new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} ${message}`, { field });
}

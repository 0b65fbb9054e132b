import { BanditryError } from "../../domain/errors.js";
import { type FeatureLimits, flattenFeatures } from "./flatten-features.js";
import { combineHashes, hashIndex, hashSign, hashString } from "./hash-feature.js";
import { reserveSparseVector, type SparseVector } from "./sparse-vector.js";

export const CONTEXT_NAMESPACE = "ctx";
export const ACTION_NAMESPACE = "act";
export const BIAS_NAME = "bias";
/** Separates the two halves of an interaction's name: `ctx.user.type=new*act.id=article-1`. */
export const INTERACTION_SEPARATOR = "*";

export interface FeatureSpaceOptions {
  /** Number of hashed slots d. */
  dimension: number;
  hashSeed: number;
  /** Add context × action products (what lets one linear model prefer different actions per context). */
  interactions: boolean;
  /** Add `act.id=<id>` to every action's features, so actions without features can still be told apart. */
  actionIdFeature: boolean;
  limits: Readonly<FeatureLimits>;
  /** Most entries one (context, action) vector may have: 1 + context + action + context × action. */
  maxVectorFeatures: number;
}

/** One side's features, flattened and hashed. */
export interface HashedFeatures {
  names: string[];
  values: number[];
  /** Full 32-bit hashes (index and sign come from them). */
  hashes: number[];
}

/** One entry of a (context, action) vector, with its name (for explanations). */
export interface VectorEntry {
  name: string;
  hash: number;
  value: number;
}

/**
 * Turns a context and an action into the model's input vector x: a bias, the context's
 * features, the action's features and, with interactions, every context × action product,
 * each hashed to one of `dimension` slots with a ±1 sign.
 * Interaction hashes are combined from the two halves' hashes, so the hot path builds no
 * interaction names; names are only built for explanations.
 */
export class FeatureSpace {
  readonly options: Readonly<FeatureSpaceOptions>;
  private readonly biasHash: number;

  constructor(options: FeatureSpaceOptions) {
    this.options = options;
    this.biasHash = hashString(BIAS_NAME, options.hashSeed);
  }

  /** The context's features (`field` names the input in errors). */
  context(features: unknown, field = "contextFeatures"): HashedFeatures {
    return this.hashed(flattenFeatures(features, CONTEXT_NAMESPACE, field, this.options.limits));
  }

  /** An action's features, with `act.id=<id>` first when actionIdFeature is on. */
  action(id: string, features: unknown, field = "action"): HashedFeatures {
    const flat = flattenFeatures(features, ACTION_NAMESPACE, `${field}.features`, this.options.limits);
    if (this.options.actionIdFeature) {
      flat.names.unshift(`${ACTION_NAMESPACE}.id=${id}`);
      flat.values.unshift(1);
    }
    return this.hashed(flat);
  }

  /** Entries of the vector for (ctx, act), collisions not merged. */
  size(ctx: HashedFeatures, act: HashedFeatures): number {
    const nc = ctx.values.length;
    const na = act.values.length;
    return 1 + nc + na + (this.options.interactions ? nc * na : 0);
  }

  /** Throws BANDITRY_VALIDATION, naming `field`, when the vector would exceed maxVectorFeatures. */
  requireSize(ctx: HashedFeatures, act: HashedFeatures, field: string): void {
    const size = this.size(ctx, act);
    if (size > this.options.maxVectorFeatures) {
      throw new BanditryError(
        "BANDITRY_VALIDATION",
        `${field} gives ${size} features with the context's ${ctx.values.length}` +
          ` (bias + context + action + context × action); the limit is ${this.options.maxVectorFeatures}`,
        { field },
      );
    }
  }

  /** Writes x for (ctx, act) into `out` (grown if needed) and returns it. */
  vector(ctx: HashedFeatures, act: HashedFeatures, out: SparseVector): SparseVector {
    reserveSparseVector(out, this.size(ctx, act));
    const d = this.options.dimension;
    const idx = out.indices;
    const val = out.values;
    let n = 0;
    const put = (hash: number, value: number): void => {
      idx[n] = hashIndex(hash, d);
      val[n++] = hashSign(hash) * value;
    };
    put(this.biasHash, 1);
    for (let c = 0; c < ctx.hashes.length; c++) put(ctx.hashes[c]!, ctx.values[c]!);
    for (let a = 0; a < act.hashes.length; a++) put(act.hashes[a]!, act.values[a]!);
    if (this.options.interactions) {
      for (let c = 0; c < ctx.hashes.length; c++) {
        const hc = ctx.hashes[c]!;
        const vc = ctx.values[c]!;
        for (let a = 0; a < act.hashes.length; a++) put(combineHashes(hc, act.hashes[a]!), vc * act.values[a]!);
      }
    }
    out.length = n;
    return out;
  }

  /** The same entries as vector(), in the same order, with names and unsigned values. */
  entries(ctx: HashedFeatures, act: HashedFeatures): VectorEntry[] {
    const out: VectorEntry[] = [{ name: BIAS_NAME, hash: this.biasHash, value: 1 }];
    for (let c = 0; c < ctx.hashes.length; c++)
      out.push({ name: ctx.names[c]!, hash: ctx.hashes[c]!, value: ctx.values[c]! });
    for (let a = 0; a < act.hashes.length; a++)
      out.push({ name: act.names[a]!, hash: act.hashes[a]!, value: act.values[a]! });
    if (this.options.interactions) {
      for (let c = 0; c < ctx.hashes.length; c++) {
        for (let a = 0; a < act.hashes.length; a++) {
          out.push({
            name: ctx.names[c]! + INTERACTION_SEPARATOR + act.names[a]!,
            hash: combineHashes(ctx.hashes[c]!, act.hashes[a]!),
            value: ctx.values[c]! * act.values[a]!,
          });
        }
      }
    }
    return out;
  }

  /** Calls fn(hash, name) for each entry; `name()` builds the name only when asked (interaction names cost a concatenation). */
  forEachEntry(ctx: HashedFeatures, act: HashedFeatures, fn: (hash: number, name: () => string) => void): void {
    fn(this.biasHash, () => BIAS_NAME);
    for (let c = 0; c < ctx.hashes.length; c++) fn(ctx.hashes[c]!, () => ctx.names[c]!);
    for (let a = 0; a < act.hashes.length; a++) fn(act.hashes[a]!, () => act.names[a]!);
    if (this.options.interactions) {
      for (let c = 0; c < ctx.hashes.length; c++) {
        for (let a = 0; a < act.hashes.length; a++) {
          fn(
            combineHashes(ctx.hashes[c]!, act.hashes[a]!),
            () => ctx.names[c]! + INTERACTION_SEPARATOR + act.names[a]!,
          );
        }
      }
    }
  }

  private hashed(flat: { names: string[]; values: number[] }): HashedFeatures {
    const seed = this.options.hashSeed;
    const hashes = new Array<number>(flat.names.length);
    for (let i = 0; i < flat.names.length; i++) hashes[i] = hashString(flat.names[i]!, seed);
    return { names: flat.names, values: flat.values, hashes };
  }
}

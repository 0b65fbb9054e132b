import { BanditryError } from "../../domain/errors.js";
import { type FeatureLimits, flattenFeatures } from "./flatten-features.js";
import { combineFirst, combineHashes, combineSecond, hashIndex, hashSign, hashString } from "./hash-feature.js";
import { LruCache } from "./lru-cache.js";
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

/**
 * Hashed features kept per model: actions are a catalog that repeats across calls, and a
 * context often repeats too. An entry is a few hundred bytes per feature.
 */
export const ACTION_CACHE_SIZE = 1024;
export const CONTEXT_CACHE_SIZE = 256;

/** One side's features, flattened and hashed (shared by the caches: never changed once built). */
export interface HashedFeatures {
  names: string[];
  values: number[];
  /** Full 32-bit hashes (index and sign come from them). */
  hashes: number[];
  /** A context's combineFirst(hash) per feature, made on first use (FeatureSpace.column). */
  halves?: Int32Array;
}

/** combineFirst of each context hash, kept on the (cached, never changed) hashed context. */
function firstHalves(ctx: HashedFeatures): Int32Array {
  if (ctx.halves === undefined) ctx.halves = Int32Array.from(ctx.hashes, combineFirst);
  return ctx.halves;
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
  private readonly contexts = new LruCache<HashedFeatures>(CONTEXT_CACHE_SIZE);
  private readonly actions = new LruCache<{ text: string; hashed: HashedFeatures }>(ACTION_CACHE_SIZE);
  /** Per slot, where its entry is in the vector being merged (−1: none yet); all −1 between calls. */
  private readonly slotAt: Int32Array;

  constructor(options: FeatureSpaceOptions) {
    this.options = options;
    this.biasHash = hashString(BIAS_NAME, options.hashSeed);
    this.slotAt = new Int32Array(options.dimension).fill(-1);
  }

  /**
   * The context's features (`field` names the input in errors). `text`, when given, must be
   * JSON.stringify(features): the features are then cached under it (the same text flattens
   * the same way), so JSON-born input is what the cache is for.
   */
  context(features: unknown, field = "contextFeatures", text?: string): HashedFeatures {
    if (text === undefined)
      return this.hashed(flattenFeatures(features, CONTEXT_NAMESPACE, field, this.options.limits));
    let hashed = this.contexts.get(text);
    if (hashed === undefined) {
      hashed = this.hashed(flattenFeatures(features, CONTEXT_NAMESPACE, field, this.options.limits));
      this.contexts.set(text, hashed);
    }
    return hashed;
  }

  /**
   * An action's features, with `act.id=<id>` first when actionIdFeature is on. `text`, when
   * given, must be JSON.stringify(features) (undefined features: "null"): cached under the id
   * with its text (another text for the id replaces the entry).
   */
  action(id: string, features: unknown, field = "action", text?: string): HashedFeatures {
    if (text === undefined) return this.hashedAction(id, features, field);
    // keyed by id alone (a short key to hash), the text compared: a catalog's id keeps its features
    const cached = this.actions.get(id);
    if (cached !== undefined && cached.text === text) return cached.hashed;
    const hashed = this.hashedAction(id, features, field);
    this.actions.set(id, { text, hashed });
    return hashed;
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

  /**
   * Writes x for (ctx, act) into `out` (grown if needed) and returns it: the entries of
   * entries(), in its order. With `merge`, the entries after the bias and the context's (the
   * action's and the interactions') that share a slot are summed into the first of them: the
   * same x with fewer entries, and a prefix that is still the same for every action.
   */
  vector(ctx: HashedFeatures, act: HashedFeatures, out: SparseVector, merge = false): SparseVector {
    reserveSparseVector(out, this.size(ctx, act));
    const n = this.writePrefix(ctx, out);
    out.length = merge ? this.actionPartMerged(ctx, act, out, n) : this.actionPart(ctx, act, out, n);
    return out;
  }

  /** The part of every vector in the context that comes before the action's: the bias and the context's features. */
  prefix(ctx: HashedFeatures, out: SparseVector): SparseVector {
    reserveSparseVector(out, 1 + ctx.hashes.length);
    out.length = this.writePrefix(ctx, out);
    return out;
  }

  /**
   * What one unit of the action feature with hash `hash` adds to a vector in the context: its
   * slot and, with interactions, its product with each context feature (slots shared summed).
   * An action's part of its vector is Σ value_f · column(f) over its features f.
   */
  column(ctx: HashedFeatures, hash: number, out: SparseVector): SparseVector {
    const ch = ctx.hashes;
    const cv = ctx.values;
    const products = this.options.interactions ? ch.length : 0;
    reserveSparseVector(out, 1 + products);
    const d = this.options.dimension;
    const mask = (d & (d - 1)) === 0 ? d - 1 : -1;
    const at = this.slotAt;
    const idx = out.indices;
    const val = out.values;
    idx[0] = hashIndex(hash, d);
    val[0] = hashSign(hash);
    at[idx[0]] = 0;
    let n = 1;
    const halves = products > 0 ? firstHalves(ctx) : undefined;
    for (let c = 0; c < products; c++) {
      const h = combineSecond(halves![c]!, hash);
      const i = mask >= 0 ? h & mask : hashIndex(h, d);
      const v = hashSign(h) * cv[c]!;
      const p = at[i]!;
      if (p < 0) {
        at[i] = n;
        idx[n] = i;
        val[n++] = v;
      } else val[p]! += v;
    }
    for (let e = 0; e < n; e++) at[idx[e]!] = -1;
    out.length = n;
    return out;
  }

  private writePrefix(ctx: HashedFeatures, out: SparseVector): number {
    const d = this.options.dimension;
    const idx = out.indices;
    const val = out.values;
    const ch = ctx.hashes;
    const cv = ctx.values;
    idx[0] = hashIndex(this.biasHash, d);
    val[0] = hashSign(this.biasHash);
    let n = 1;
    for (let c = 0; c < ch.length; c++, n++) {
      idx[n] = hashIndex(ch[c]!, d);
      val[n] = hashSign(ch[c]!) * cv[c]!;
    }
    return n;
  }

  /** Writes the action's entries and the interactions from entry n on; returns the end. */
  private actionPart(ctx: HashedFeatures, act: HashedFeatures, out: SparseVector, from: number): number {
    const d = this.options.dimension;
    // h mod d is the low bits when d is a power of two: a mask instead of a division per entry
    const mask = (d & (d - 1)) === 0 ? d - 1 : -1;
    const idx = out.indices;
    const val = out.values;
    const ch = ctx.hashes;
    const cv = ctx.values;
    const ah = act.hashes;
    const av = act.values;
    let n = from;
    for (let a = 0; a < ah.length; a++, n++) {
      idx[n] = hashIndex(ah[a]!, d);
      val[n] = hashSign(ah[a]!) * av[a]!;
    }
    if (this.options.interactions) {
      for (let c = 0; c < ch.length; c++) {
        const vc = cv[c]!;
        const half = combineFirst(ch[c]!);
        for (let a = 0; a < ah.length; a++, n++) {
          const h = combineSecond(half, ah[a]!);
          idx[n] = mask >= 0 ? h & mask : hashIndex(h, d);
          val[n] = hashSign(h) * (vc * av[a]!);
        }
      }
    }
    return n;
  }

  /**
   * actionPart with the entries that share a slot summed into the first of them, as they are
   * made (the same sums, in the same order, as merging afterwards; no second pass).
   */
  private actionPartMerged(ctx: HashedFeatures, act: HashedFeatures, out: SparseVector, from: number): number {
    const d = this.options.dimension;
    const mask = (d & (d - 1)) === 0 ? d - 1 : -1;
    const at = this.slotAt;
    const idx = out.indices;
    const val = out.values;
    const ch = ctx.hashes;
    const cv = ctx.values;
    const ah = act.hashes;
    const av = act.values;
    let n = from;
    for (let a = 0; a < ah.length; a++) {
      const i = hashIndex(ah[a]!, d);
      const v = hashSign(ah[a]!) * av[a]!;
      const p = at[i]!;
      if (p < 0) {
        at[i] = n;
        idx[n] = i;
        val[n++] = v;
      } else val[p]! += v;
    }
    if (this.options.interactions) {
      for (let c = 0; c < ch.length; c++) {
        const vc = cv[c]!;
        const half = combineFirst(ch[c]!);
        for (let a = 0; a < ah.length; a++) {
          const h = combineSecond(half, ah[a]!);
          const i = mask >= 0 ? h & mask : hashIndex(h, d);
          const v = hashSign(h) * (vc * av[a]!);
          const p = at[i]!;
          if (p < 0) {
            at[i] = n;
            idx[n] = i;
            val[n++] = v;
          } else val[p]! += v;
        }
      }
    }
    for (let e = from; e < n; e++) at[idx[e]!] = -1;
    return n;
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

  private hashedAction(id: string, features: unknown, field: string): HashedFeatures {
    const flat = flattenFeatures(features, ACTION_NAMESPACE, `${field}.features`, this.options.limits);
    if (this.options.actionIdFeature) {
      flat.names.unshift(`${ACTION_NAMESPACE}.id=${id}`);
      flat.values.unshift(1);
    }
    return this.hashed(flat);
  }

  private hashed(flat: { names: string[]; values: number[] }): HashedFeatures {
    const seed = this.options.hashSeed;
    const hashes = new Array<number>(flat.names.length);
    for (let i = 0; i < flat.names.length; i++) hashes[i] = hashString(flat.names[i]!, seed);
    return { names: flat.names, values: flat.values, hashes };
  }
}

import { isFrozenJson } from "../../domain/frozen-json.js";
import { LruCache } from "../../stats/linear/lru-cache.js";

/**
 * The JSON texts of recently seen values by key (an action's features by its id): a value equal
 * to the one remembered under its key gets the remembered text without serializing it again. A
 * catalog's actions repeat across calls, and comparing costs a third of JSON.stringify. The
 * cache keeps its own parsed copy, so a caller changing its objects later cannot make it lie;
 * only plain JSON data compares equal (anything else, e.g. a Date or a toJSON, is serialized).
 */
export class JsonTextCache {
  /** `frozen`: the value itself when it cannot change (freezeJson), so the same object needs no comparison. */
  private readonly entries: LruCache<{ shape: Shape; text: string; frozen: unknown }>;

  /** `maxText`: longer texts are not kept (bounds the memory at capacity × maxText, give or take the copies). */
  constructor(
    capacity: number,
    private readonly maxText: number,
  ) {
    this.entries = new LruCache(capacity);
  }

  /** serialize(value) (which must be JSON.stringify, validated), or the text remembered for an equal value under key. */
  text(key: string, value: unknown, serialize: (value: unknown) => string): string {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      if (hit.frozen === value) return hit.text;
      if (sameJson(value, hit.shape)) {
        if (isFrozenJson(value)) hit.frozen = value;
        return hit.text;
      }
    }
    const text = serialize(value);
    if (text.length <= this.maxText) {
      this.entries.set(key, {
        shape: shapeOf(JSON.parse(text)),
        text,
        frozen: isFrozenJson(value) ? value : undefined,
      });
    }
    return text;
  }
}

/**
 * A parsed JSON value with each object's keys listed once, so comparing against it allocates
 * nothing (Object.keys on every nested object of every action of every rank did).
 */
type Shape = string | number | boolean | null | Shape[] | { keys: string[]; values: Shape[] };

function shapeOf(v: unknown): Shape {
  if (typeof v !== "object" || v === null) return v as Shape;
  if (Array.isArray(v)) return v.map(shapeOf);
  const keys = Object.keys(v);
  return { keys, values: keys.map((k) => shapeOf((v as Record<string, unknown>)[k])) };
}

/** Whether JSON.stringify(a) is the text `b` was made from (false when unsure). */
function sameJson(a: unknown, b: Shape): boolean {
  if (typeof b !== "object" || b === null) return a === b;
  if (typeof a !== "object" || a === null) return false;
  if (Array.isArray(b)) {
    if (!Array.isArray(a) || a.length !== b.length) return false;
    for (let i = 0; i < b.length; i++) if (!sameJson(a[i], b[i]!)) return false;
    return true;
  }
  if (Array.isArray(a)) return false;
  const proto: unknown = Object.getPrototypeOf(a);
  if (proto !== Object.prototype && proto !== null) return false;
  // own enumerable keys in the order JSON.stringify writes them (a plain object inherits none)
  const { keys, values } = b;
  let n = 0;
  for (const k in a) {
    if (k !== keys[n] || !sameJson((a as Record<string, unknown>)[k], values[n]!)) return false;
    n++;
  }
  return n === keys.length;
}

/**
 * Feature hashing. The hash is part of the persisted model format (a weight lives at the index
 * its name hashes to), so it must never change: HASH_NAME is written into every model's JSON
 * and a model with another name is refused on load.
 *
 * FNV-1a over the UTF-16 code units (no encoding step, so it is fast on V8 strings), then
 * murmur3's fmix32 finalizer: raw FNV-1a mixes its low bits poorly, and the index is taken from
 * the low bits (h mod d).
 */
export const HASH_NAME = "fnv1a32-fmix32";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** murmur3's 32-bit finalizer: a bijection that avalanches every input bit. */
export function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Unsigned 32-bit hash of a string; different seeds give independent-looking hashes. */
export function hashString(s: string, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return fmix32(h);
}

/**
 * Hash of an ordered pair (context feature, action feature) from the two features' hashes,
 * as Vowpal Wabbit does for quadratic features: no name string is built on the hot path.
 */
export function combineHashes(a: number, b: number): number {
  return combineSecond(combineFirst(a), b);
}

/** combineHashes(a, b) = combineSecond(combineFirst(a), b): the first half is computed once per context feature. */
export function combineFirst(a: number): number {
  return Math.imul(a ^ (a >>> 15), 0x9e3779b1);
}

export function combineSecond(first: number, b: number): number {
  return fmix32(first ^ b);
}

/** Index in [0, dimension) of a hash; the top bit is kept for the sign. */
export function hashIndex(hash: number, dimension: number): number {
  return (hash & 0x7fffffff) % dimension;
}

/**
 * Sign of a hashed feature (+1 or −1, from the hash's top bit). Signed hashing makes the
 * error two colliding features cause zero in expectation instead of always adding up.
 */
export function hashSign(hash: number): number {
  return hash >>> 31 === 0 ? 1 : -1;
}

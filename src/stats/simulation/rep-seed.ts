/** One round of the murmur3 finaliser: a bijective, well-mixed 32-bit hash. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Seed of one random stream of rep r of a run seeded with `seed`. Streams: 0 the world
 * (drift and reward noise), 1 the policy. Pure, so any rep can be replayed alone.
 */
export function repSeed(seed: number, rep: number, stream: 0 | 1): number {
  return fmix32(fmix32(fmix32(seed >>> 0) ^ Math.imul(rep + 1, 0x9e3779b9)) ^ (stream + 0x632be5ab));
}

/** One round of the murmur3 finaliser: a bijective, well-mixed 32-bit hash. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Seed of the random stream of (day, stream) in a simulation seeded with `seed`. Pure, so
 * any keyword-day can be replayed alone and one keyword's draws never shift another's.
 */
export function streamSeed(seed: number, day: number, stream: number): number {
  return fmix32(fmix32(fmix32(seed >>> 0) ^ Math.imul(day + 1, 0x9e3779b9)) ^ Math.imul(stream + 1, 0x632be5ab));
}

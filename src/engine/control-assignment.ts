/**
 * Deterministic A/B assignment: a unit lands in the control group when the FNV-1a hash of
 * (experiment, unit) falls below the control share, so a unit keeps its group across
 * decisions and restarts, and different experiments split units independently.
 */
export function isControlUnit(experimentId: string, unitId: string, share: number): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  return unitHash(experimentId, unitId) < share;
}

/** Uniform in [0, 1) from FNV-1a (32 bit) with a final avalanche (murmur3 fmix). */
export function unitHash(experimentId: string, unitId: string): number {
  let h = 0x811c9dc5;
  const s = `${experimentId}\u0000${unitId}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

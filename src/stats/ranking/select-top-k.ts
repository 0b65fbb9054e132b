import type { Rng } from "../rng.js";

/**
 * Puts the indices of the k largest of scores[0..n) in order[0..k), in descending score
 * order, by k passes of selection: O(k·n), no allocation. Ties go uniformly at random
 * (reservoir sampling, as in argmaxRandomTie, so slot 0 matches chooseArm draw for draw).
 * NaN counts as −∞. Requires 1 ≤ k ≤ n ≤ order.length.
 */
export function selectTopK(scores: Float64Array, n: number, k: number, rng: Rng, order: Int32Array): void {
  for (let i = 0; i < n; i++) order[i] = i;
  for (let slot = 0; slot < k; slot++) {
    let best = slot;
    let bestScore = Number.NEGATIVE_INFINITY;
    let ties = 0;
    for (let j = slot; j < n; j++) {
      const raw = scores[order[j]!]!;
      const s = Number.isNaN(raw) ? Number.NEGATIVE_INFINITY : raw;
      if (s > bestScore) {
        best = j;
        bestScore = s;
        ties = 1;
      } else if (s === bestScore) {
        ties++;
        if (rng.nextInt(ties) === 0) best = j;
      }
    }
    const chosen = order[best]!;
    order[best] = order[slot]!;
    order[slot] = chosen;
  }
}

import type { Rng } from "../rng.js";

/**
 * Index of the largest of scores[0..n), ties broken uniformly at random (reservoir
 * sampling: the rng is used only when a tie is met). A NaN score counts as −∞. n ≥ 1.
 */
export function argmaxRandomTie(scores: Float64Array, n: number, rng: Rng): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  let ties = 0;
  for (let i = 0; i < n; i++) {
    const raw = scores[i]!;
    const s = Number.isNaN(raw) ? Number.NEGATIVE_INFINITY : raw;
    if (s > bestScore) {
      best = i;
      bestScore = s;
      ties = 1;
    } else if (s === bestScore) {
      ties++;
      if (rng.nextInt(ties) === 0) best = i;
    }
  }
  return best;
}

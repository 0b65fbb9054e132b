import type { Rng } from "../stats/rng.js";

/** Control group: a fixed arm first (when active), the rest in uniformly random order. */
export function controlChoice(
  active: readonly number[],
  fixedPos: number,
  k: number,
  rng: Rng,
): { order: number[]; probabilities: Float64Array } {
  const n = active.length;
  const positions = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [positions[i], positions[j]] = [positions[j]!, positions[i]!];
  }
  const probabilities = new Float64Array(n);
  if (fixedPos >= 0) {
    positions.splice(positions.indexOf(fixedPos), 1);
    positions.unshift(fixedPos);
    probabilities[fixedPos] = 1;
  } else {
    probabilities.fill(1 / n);
  }
  return { order: positions.slice(0, k), probabilities };
}

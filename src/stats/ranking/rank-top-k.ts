import type { Policy } from "../policies/policy.js";
import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";
import { requireArms } from "./require-arms.js";
import { requireK } from "./require-k.js";
import { selectTopK } from "./select-top-k.js";

/**
 * A ranking for one decision: the indices of the k best-scoring arms, best first, from a
 * single scoring (for Thompson, one posterior draw per arm). Ties are broken by the rng;
 * the first index is the arm chooseArm would pick from the same rng state. Pass a scratch
 * buffer of at least arms.length entries on hot paths: a Float64Array of more than 8 entries
 * lives off the V8 heap and costs microseconds to allocate.
 */
export function rankTopK(
  policy: Policy,
  arms: readonly Posterior[],
  k: number,
  rng: Rng,
  scratch?: Float64Array,
): number[] {
  requireArms(arms);
  requireK(k, arms.length);
  const n = arms.length;
  const scores = scratch !== undefined && scratch.length >= n ? scratch : new Float64Array(n);
  const order = new Int32Array(n);
  policy.score(arms, rng, scores);
  selectTopK(scores, n, k, rng, order);
  const ranking = new Array<number>(k);
  for (let slot = 0; slot < k; slot++) ranking[slot] = order[slot]!;
  return ranking;
}

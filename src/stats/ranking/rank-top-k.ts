import type { Policy } from "../policies/policy.js";
import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";
import { requireArms } from "./require-arms.js";
import { requireK } from "./require-k.js";
import { selectTopK } from "./select-top-k.js";

/**
 * A ranking for one decision: the indices of the k best-scoring arms, best first, from a
 * single scoring (for Thompson, one posterior draw per arm). Ties are broken by the rng;
 * the first index is the arm chooseArm would pick from the same rng state.
 */
export function rankTopK(policy: Policy, arms: readonly Posterior[], k: number, rng: Rng): number[] {
  requireArms(arms);
  requireK(k, arms.length);
  const n = arms.length;
  const scores = new Float64Array(n);
  const order = new Int32Array(n);
  policy.score(arms, rng, scores);
  selectTopK(scores, n, k, rng, order);
  return Array.from(order.subarray(0, k));
}

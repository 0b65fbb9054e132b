import type { Policy } from "../policies/policy.js";
import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";
import { argmaxRandomTie } from "./argmax-random-tie.js";
import { requireArms } from "./require-arms.js";

/**
 * One decision: the index of the arm with the highest policy score, ties broken by the rng.
 * The hot path: pass a scratch buffer of at least arms.length entries and nothing is
 * allocated (a shorter one is replaced, so arms added at run time never fail a decision).
 */
export function chooseArm(policy: Policy, arms: readonly Posterior[], rng: Rng, scratch?: Float64Array): number {
  const n = arms.length;
  requireArms(arms);
  const scores = scratch !== undefined && scratch.length >= n ? scratch : new Float64Array(n);
  policy.score(arms, rng, scores);
  return argmaxRandomTie(scores, n, rng);
}

import { requireFinite } from "../../domain/errors.js";
import type { LoggedDecisions } from "./logged-decisions.js";
import type { TargetPolicy } from "./target-policy.js";

export interface ImportanceWeights {
  /** w_i = min(π_e(a_i|x_i) / π_b(a_i|x_i), clip). */
  weights: Float64Array;
  /** 1 where the clip lowered the weight. */
  clipped: Uint8Array;
  clippedCount: number;
}

/**
 * Importance weights of the logged actions. Clipping (max weight `clip`) trades a bias toward
 * the logging policy's value for less variance; unclipped when clip is undefined.
 * Expects validated inputs (validateLoggedDecisions, validateTargetPolicy).
 */
export function importanceWeights(data: LoggedDecisions, target: TargetPolicy, clip?: number): ImportanceWeights {
  if (clip !== undefined) requireFinite("clip", clip, { positive: true });
  const n = data.actions.length;
  const weights = new Float64Array(n);
  const clipped = new Uint8Array(n);
  let clippedCount = 0;
  for (let i = 0; i < n; i++) {
    const w = target.probabilities[i]! / data.propensities[i]!;
    if (clip !== undefined && w > clip) {
      weights[i] = clip;
      clipped[i] = 1;
      clippedCount++;
    } else {
      weights[i] = w;
    }
  }
  return { weights, clipped, clippedCount };
}

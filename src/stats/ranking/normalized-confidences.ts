import { requireFinite } from "../../domain/errors.js";

/**
 * Turns non-negative confidences (e.g. probabilities of being best) into weights summing
 * to 1. All zero means no preference: uniform weights. Negative or non-finite values throw.
 */
export function normalizedConfidences(values: readonly number[]): number[] {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += requireFinite(`values[${i}]`, values[i]!, { min: 0 });
  if (total === 0) return values.map(() => 1 / values.length);
  return values.map((v) => v / total);
}

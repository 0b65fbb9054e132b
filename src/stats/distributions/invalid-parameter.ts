import { BanditryError } from "../../domain/errors.js";

/**
 * Largest shape the samplers accept. Far beyond any posterior (1e300 observations), and it
 * keeps X + Y in X/(X + Y) finite; checking a ≤ MAX_SHAPE costs the same as a < Infinity.
 */
export const MAX_SHAPE = 1e300;

/**
 * The error a sampler throws for a bad parameter (NaN, ≤ 0, too large…).
 * A separate function so the samplers' hot paths stay small enough for V8 to inline.
 */
export function invalidParameter(
  field: string,
  value: number,
  rule = `a number > 0 and <= ${MAX_SHAPE}`,
): BanditryError {
  return new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be ${rule}, got ${String(value)}`, {
    field,
  });
}

import { BanditryError } from "../../domain/errors.js";

/**
 * The error a sampler throws for a bad parameter (a shape that is not a finite number > 0…).
 * A separate function so the samplers' hot paths stay small enough for V8 to inline.
 */
export function invalidParameter(field: string, value: number, rule = "a finite number > 0"): BanditryError {
  return new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be ${rule}, got ${String(value)}`, {
    field,
  });
}

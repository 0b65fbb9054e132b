import { BanditryError } from "../../domain/errors.js";

/** Monte Carlo draw counts are positive integers. */
export function requireDraws(draws: number): number {
  if (typeof draws !== "number" || !Number.isInteger(draws) || draws < 1) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `draws must be an integer >= 1, got ${String(draws)}`, {
      field: "draws",
    });
  }
  return draws;
}

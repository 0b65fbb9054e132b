import { BanditryError } from "../../domain/errors.js";

/** k must be an integer in [1, arms]. */
export function requireK(k: number, arms: number): void {
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `k must be an integer >= 1, got ${String(k)}`, {
      field: "k",
    });
  }
  if (k > arms) {
    throw new BanditryError("BANDITRY_K_EXCEEDS_ARMS", `k must be <= the number of arms (${arms}), got ${k}`, {
      field: "k",
    });
  }
}

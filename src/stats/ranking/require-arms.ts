import { BanditryError } from "../../domain/errors.js";

/** Throws BANDITRY_NO_ACTIVE_ARMS when there is nothing to choose from. */
export function requireArms(arms: { readonly length: number }): void {
  if (arms.length === 0) {
    throw new BanditryError("BANDITRY_NO_ACTIVE_ARMS", "arms is empty: there is no active arm to choose from", {
      field: "arms",
    });
  }
}

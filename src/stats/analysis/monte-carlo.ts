import { BanditryError } from "../../domain/errors.js";
import type { Posterior } from "../posteriors/posterior.js";

/**
 * Anything that draws an expected reward: a posterior, or e.g. a mixture over the arms a
 * bandit plays, when comparing the bandit with its control.
 */
export type Sampler = Pick<Posterior, "sample">;

/** Monte Carlo draw count: an integer >= 2, so that a standard error exists. */
export function requireDraws(draws: number): number {
  if (!Number.isInteger(draws) || draws < 2) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `draws must be an integer >= 2, got ${String(draws)}`, {
      field: "draws",
    });
  }
  return draws;
}

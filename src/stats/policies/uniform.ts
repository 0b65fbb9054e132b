import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";
import type { Policy } from "./policy.js";

/** Uniform random choice (and a uniformly random ranking): the A/B-test baseline. */
export class UniformPolicy implements Policy {
  readonly kind = "uniform" as const;

  score(arms: readonly Posterior[], rng: Rng, out: Float64Array): void {
    for (let i = 0; i < arms.length; i++) out[i] = rng.next();
  }

  exactProbabilities(arms: readonly Posterior[], out: Float64Array): boolean {
    const p = 1 / arms.length;
    for (let i = 0; i < arms.length; i++) out[i] = p;
    return true;
  }
}

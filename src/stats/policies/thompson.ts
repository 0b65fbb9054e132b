import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";
import type { Policy } from "./policy.js";

/** Thompson sampling: one posterior draw per arm; the largest draw wins. */
export class ThompsonPolicy implements Policy {
  readonly kind = "thompson" as const;

  score(arms: readonly Posterior[], rng: Rng, out: Float64Array): void {
    for (let i = 0; i < arms.length; i++) out[i] = arms[i]!.sample(rng);
  }
}

import { requireFinite } from "../../domain/errors.js";
import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";
import { argmaxShare } from "./argmax-share.js";
import type { Policy } from "./policy.js";

export const DEFAULT_UCB_C = 1;

/**
 * UCB1 (Auer et al. 2002): posterior mean + c·sqrt(2 ln t / n), with n an arm's evidence
 * count() (fractional under weights and decay) and t the total over arms. Arms without
 * evidence score +∞ so they are tried first. c is in reward units: scale it to the reward
 * range for Gaussian rewards. Deterministic, so its exact probabilities are known.
 */
export class Ucb1Policy implements Policy {
  readonly kind = "ucb1" as const;
  readonly c: number;

  constructor(c = DEFAULT_UCB_C) {
    this.c = requireFinite("ucbC", c, { min: 0 });
  }

  score(arms: readonly Posterior[], _rng: Rng, out: Float64Array): void {
    this.fill(arms, out);
  }

  exactProbabilities(arms: readonly Posterior[], out: Float64Array): boolean {
    this.fill(arms, out);
    argmaxShare(out, arms.length, out);
    return true;
  }

  private fill(arms: readonly Posterior[], out: Float64Array): void {
    let t = 0;
    for (let i = 0; i < arms.length; i++) t += arms[i]!.count();
    // decayed evidence can total less than 1; ln t < 0 would make the bonus NaN
    const logT = t > 1 ? Math.log(t) : 0;
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[i]!;
      const n = arm.count();
      out[i] = n > 0 ? arm.mean() + this.c * Math.sqrt((2 * logT) / n) : Number.POSITIVE_INFINITY;
    }
  }
}

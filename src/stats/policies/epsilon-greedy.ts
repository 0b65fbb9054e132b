import { requireFinite } from "../../domain/errors.js";
import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";
import { argmaxShare } from "./argmax-share.js";
import type { Policy } from "./policy.js";

export const DEFAULT_EPSILON = 0.1;

/**
 * With probability ε explore (uniformly random scores, so a uniformly random choice and
 * ranking), otherwise exploit the posterior means. Equal means are ties, broken uniformly.
 */
export class EpsilonGreedyPolicy implements Policy {
  readonly kind = "epsilon-greedy" as const;
  readonly epsilon: number;

  constructor(epsilon = DEFAULT_EPSILON) {
    this.epsilon = requireFinite("epsilon", epsilon, { min: 0, max: 1 });
  }

  score(arms: readonly Posterior[], rng: Rng, out: Float64Array): void {
    if (rng.next() < this.epsilon) {
      for (let i = 0; i < arms.length; i++) out[i] = rng.next();
    } else {
      for (let i = 0; i < arms.length; i++) out[i] = arms[i]!.mean();
    }
  }

  /** ε/K for every arm, plus (1 − ε) shared among the arms with the highest mean. */
  exactProbabilities(arms: readonly Posterior[], out: Float64Array): boolean {
    const n = arms.length;
    for (let i = 0; i < n; i++) out[i] = arms[i]!.mean();
    argmaxShare(out, n, out);
    const explore = this.epsilon / n;
    for (let i = 0; i < n; i++) out[i] = explore + (1 - this.epsilon) * out[i]!;
    return true;
  }
}

import { requireFinite } from "../../domain/errors.js";
import type { Posterior } from "../posteriors/posterior.js";
import type { Rng } from "../rng.js";
import type { Policy } from "./policy.js";

export const DEFAULT_TOP_TWO_BETA = 0.5;
/** Resampling cap: a dominant leader would otherwise cost ~1/(1 − P(leader leads)) draws. */
export const TOP_TWO_MAX_RESAMPLES = 50;

/**
 * Top-two Thompson sampling (Russo 2016), for best-arm identification: with probability β
 * play the leader of one posterior draw; otherwise resample until another arm leads and
 * play that challenger. The scores are the draw in which the played arm leads. When the
 * cap is reached the challenger is the runner-up of the last draw (its score is swapped
 * with the leader's), a close stand-in for the conditional challenger distribution.
 */
export class TopTwoThompsonPolicy implements Policy {
  readonly kind = "top-two-thompson" as const;
  readonly beta: number;

  constructor(beta = DEFAULT_TOP_TWO_BETA) {
    this.beta = requireFinite("topTwoBeta", beta, { min: 0, max: 1 });
  }

  score(arms: readonly Posterior[], rng: Rng, out: Float64Array): void {
    const n = arms.length;
    const playLeader = rng.next() < this.beta;
    sampleAll(arms, rng, out);
    if (playLeader || n < 2) return;
    const leader = argmaxFirst(out, n);
    for (let attempt = 0; attempt < TOP_TWO_MAX_RESAMPLES; attempt++) {
      sampleAll(arms, rng, out);
      const j = argmaxFirst(out, n);
      // strictly ahead, so tie-breaking downstream cannot hand the decision back to the leader
      if (j !== leader && out[j]! > out[leader]!) return;
    }
    let runnerUp = leader === 0 ? 1 : 0;
    for (let i = 0; i < n; i++) if (i !== leader && out[i]! > out[runnerUp]!) runnerUp = i;
    const top = Math.max(out[leader]!, out[runnerUp]!);
    out[leader] = Math.min(out[leader]!, out[runnerUp]!);
    out[runnerUp] = top;
  }
}

function sampleAll(arms: readonly Posterior[], rng: Rng, out: Float64Array): void {
  for (let i = 0; i < arms.length; i++) out[i] = arms[i]!.sample(rng);
}

function argmaxFirst(values: Float64Array, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

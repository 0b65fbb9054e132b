import type { RewardModel } from "../domain/experiment.js";
import { BetaBernoulliPosterior } from "../stats/posteriors/beta-bernoulli.js";
import { GaussianPosterior } from "../stats/posteriors/gaussian.js";
import type { BetaPrior, GaussianPrior, Posterior } from "../stats/posteriors/posterior.js";
import type { Evidence } from "../stores/stores.js";

/**
 * Evidence is the additive form of a posterior's sufficient statistics, the unit in which
 * stores increment rows: bernoulli n = 1, s1 = r, s2 = 1 − r; gaussian n = 1, s1 = r − μ0,
 * s2 = (r − μ0)². `scale` is the forward-decay weight of the reward's time.
 */
export function evidenceOf(
  model: RewardModel,
  prior: BetaPrior | GaussianPrior,
  value: number,
  scale: number,
): Evidence {
  if (model === "bernoulli") return { n: scale, s1: value * scale, s2: (1 - value) * scale };
  const d = value - (prior as GaussianPrior).mu;
  return { n: scale, s1: d * scale, s2: d * d * scale };
}

export function newPosterior(model: RewardModel, prior: BetaPrior | GaussianPrior): Posterior {
  return model === "bernoulli"
    ? new BetaBernoulliPosterior(prior as BetaPrior)
    : new GaussianPosterior(prior as GaussianPrior);
}

/** Writes evidence into a reusable posterior (the hot path reuses one object per arm). */
export function setEvidence(p: Posterior, n: number, s1: number, s2: number): void {
  if (p instanceof BetaBernoulliPosterior) {
    p.successes = Math.max(s1, 0);
    p.failures = Math.max(s2, 0);
  } else {
    const g = p as GaussianPosterior;
    g.n = Math.max(n, 0);
    g.sum = s1;
    g.sumSq = Math.max(s2, 0);
  }
}

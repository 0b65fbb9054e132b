import type { Posterior } from "../posteriors/posterior.js";

export interface PosteriorSummary {
  mean: number;
  /** Equal-tailed credible interval at the requested level (exact quantiles). */
  lower: number;
  upper: number;
  /** Evidence weight after decay. */
  count: number;
}

export function summarize(posterior: Posterior, level = 0.95): PosteriorSummary {
  const [lower, upper] = posterior.credibleInterval(level);
  return { mean: posterior.mean(), lower, upper, count: posterior.count() };
}

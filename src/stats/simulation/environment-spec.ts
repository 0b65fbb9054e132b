import { BanditryError, requireFinite } from "../../domain/errors.js";

export type RewardKind = "bernoulli" | "gaussian";

/**
 * How the arm means move over time. Each drift is driven by the environment's own rng and
 * never by the policy's actions, so two policies run with the same seed face the same world.
 */
export type DriftSpec =
  /** At each step in `at` (0-based, before that step's decision) the means change: to `means[i]` when given, else the current means are reversed (arm i takes arm K−1−i's mean, so the best arm becomes a worst one). */
  | { kind: "change"; at: readonly number[]; means?: readonly (readonly number[])[] }
  /** Before every step each mean moves by N(0, sigma²); Bernoulli means are clamped to [0, 1]. */
  | { kind: "walk"; sigma: number }
  /** Before every step, with probability `rate`, one arm (uniform) retires and a new arm with mean ~ Beta(alpha, beta) takes its place; the learner starts it from the prior. */
  | { kind: "churn"; rate: number; alpha: number; beta: number };

export interface EnvironmentSpec {
  reward: RewardKind;
  /** Initial mean of each arm (Bernoulli: the success probability). Its length is K. */
  means: readonly number[];
  /** Gaussian rewards: noise standard deviation (default 1). */
  sd?: number;
  drift?: readonly DriftSpec[];
  /** When set, every rep draws its K initial means from Beta(alpha, beta) instead of `means` (Chapelle & Li's set-up). */
  meansPrior?: { alpha: number; beta: number };
}

function invalid(field: string, message: string): never {
  throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} ${message}`, { field });
}

/** Checks a spec, throwing BANDITRY_INVALID_PARAMETER naming the bad field. */
export function validateEnvironmentSpec(spec: EnvironmentSpec, horizon = Number.POSITIVE_INFINITY): EnvironmentSpec {
  if (spec.reward !== "bernoulli" && spec.reward !== "gaussian") {
    invalid("reward", `must be "bernoulli" or "gaussian", got ${String(spec.reward)}`);
  }
  const bernoulli = spec.reward === "bernoulli";
  if (!Array.isArray(spec.means) || spec.means.length === 0) invalid("means", "must list at least one arm");
  const checkMeans = (field: string, means: readonly number[]): void => {
    if (means.length !== spec.means.length) {
      invalid(field, `must have ${spec.means.length} values (one per arm), got ${means.length}`);
    }
    for (const [i, m] of means.entries()) requireFinite(`${field}[${i}]`, m, bernoulli ? { min: 0, max: 1 } : {});
  };
  checkMeans("means", spec.means);
  if (spec.sd !== undefined) requireFinite("sd", spec.sd, { positive: true });
  if (spec.meansPrior !== undefined) {
    requireFinite("meansPrior.alpha", spec.meansPrior.alpha, { positive: true });
    requireFinite("meansPrior.beta", spec.meansPrior.beta, { positive: true });
  }
  for (const [j, d] of (spec.drift ?? []).entries()) {
    const f = `drift[${j}]`;
    if (d.kind === "change") {
      if (d.at.length === 0) invalid(`${f}.at`, "must list at least one step");
      let prev = -1;
      for (const [i, s] of d.at.entries()) {
        if (!Number.isInteger(s) || s <= prev) invalid(`${f}.at[${i}]`, `must be increasing integers >= 0, got ${s}`);
        if (s >= horizon) invalid(`${f}.at[${i}]`, `must be < horizon ${horizon}, got ${s}`);
        prev = s;
      }
      if (d.means !== undefined) {
        if (d.means.length !== d.at.length)
          invalid(`${f}.means`, `must have one list per change step (${d.at.length})`);
        for (const [i, m] of d.means.entries()) checkMeans(`${f}.means[${i}]`, m);
      }
    } else if (d.kind === "walk") {
      requireFinite(`${f}.sigma`, d.sigma, { min: 0 });
    } else if (d.kind === "churn") {
      requireFinite(`${f}.rate`, d.rate, { min: 0, max: 1 });
      requireFinite(`${f}.alpha`, d.alpha, { positive: true });
      requireFinite(`${f}.beta`, d.beta, { positive: true });
    } else {
      invalid(`${f}.kind`, `must be change, walk or churn, got ${String((d as { kind: unknown }).kind)}`);
    }
  }
  return spec;
}

/** K arms as in Chapelle & Li (2011): the best has mean `best`, the K−1 others `best − gap`. The best arm is the last one, so a lowest-index tie-break cannot favour it. */
export function gapMeans(k: number, best: number, gap: number): number[] {
  // rounded so that 0.3 − 0.1 reads 0.2, not 0.19999999999999998
  const means = new Array<number>(k).fill(Number((best - gap).toPrecision(12)));
  means[k - 1] = best;
  return means;
}

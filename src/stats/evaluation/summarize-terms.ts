import { BanditryError } from "../../domain/errors.js";
import type { EstimatorTerms } from "./estimator-terms.js";
import { normalQuantile } from "./normal-quantile.js";
import {
  DEFAULT_BOOTSTRAP_REPLICATES,
  DEFAULT_LEVEL,
  type EstimateOptions,
  type OffPolicyEstimate,
} from "./off-policy-estimate.js";

/**
 * Point estimate, standard error and interval from per-record terms, over all records or a
 * subset (e.g. one position). Standard error by the delta method for the ratio
 * Σnum/Σden: sd of ψ_i = (num_i − V·den_i)/mean(den) over √n, which is the plain standard
 * error of the mean when every den_i = 1 (IPS, DR). The bootstrap resamples records and
 * recomputes the ratio; its SE is the sd of the replicates, its interval their percentiles.
 */
export function summarizeTerms(
  terms: EstimatorTerms,
  options: Omit<EstimateOptions, "clip"> = {},
  subset?: ArrayLike<number>,
): OffPolicyEstimate {
  const level = options.level ?? DEFAULT_LEVEL;
  if (!(level > 0 && level < 1)) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `level must be in (0, 1), got ${String(level)}`, {
      field: "level",
    });
  }
  const { numerators: num, denominators: den, weights } = terms;
  const n = subset === undefined ? num.length : subset.length;
  if (n < 2) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `at least 2 records are needed for an estimate, got ${n}`, {
      field: "records",
    });
  }
  const at = subset === undefined ? (k: number) => k : (k: number) => subset[k]!;

  let sumNum = 0;
  let sumDen = 0;
  let sumW = 0;
  let sumW2 = 0;
  let maxWeight = 0;
  let clipped = 0;
  for (let k = 0; k < n; k++) {
    const i = at(k);
    sumNum += num[i]!;
    sumDen += den === undefined ? 1 : den[i]!;
    const w = weights[i]!;
    sumW += w;
    sumW2 += w * w;
    if (w > maxWeight) maxWeight = w;
    clipped += terms.clipped[i]!;
  }
  if (!(sumDen > 0)) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `${terms.estimator} is undefined: the target policy gives probability 0 to every logged action`,
      { field: "target.probabilities" },
    );
  }
  const value = sumNum / sumDen;
  const meanDen = sumDen / n;
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const psi = (num[i]! - value * (den === undefined ? 1 : den[i]!)) / meanDen;
    ss += psi * psi;
  }
  const diagnostics = {
    records: n,
    effectiveSampleSize: sumW2 > 0 ? (sumW * sumW) / sumW2 : 0,
    maxWeight,
    meanWeight: sumW / n,
    clippedWeights: clipped,
  };
  if (options.bootstrap === undefined) {
    const standardError = Math.sqrt(ss / (n - 1) / n);
    const z = normalQuantile(0.5 + level / 2);
    return {
      estimator: terms.estimator,
      value,
      standardError,
      lower: value - z * standardError,
      upper: value + z * standardError,
      level,
      interval: "normal",
      replicates: 0,
      ...diagnostics,
    };
  }
  const replicates = options.bootstrap.replicates ?? DEFAULT_BOOTSTRAP_REPLICATES;
  if (!(Number.isInteger(replicates) && replicates >= 2)) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `bootstrap.replicates must be an integer >= 2, got ${String(replicates)}`,
      { field: "bootstrap.replicates" },
    );
  }
  const rng = options.bootstrap.rng;
  const values = new Float64Array(replicates);
  let used = 0;
  for (let b = 0; b < replicates; b++) {
    let bn = 0;
    let bd = 0;
    for (let k = 0; k < n; k++) {
      const i = at(rng.nextInt(n));
      bn += num[i]!;
      bd += den === undefined ? 1 : den[i]!;
    }
    // a resample may miss every record with a positive weight (SNIPS 0/0): it has no value
    if (bd > 0) values[used++] = bn / bd;
  }
  const kept = values.subarray(0, used).sort();
  if (used < 2) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `${terms.estimator}: only ${used} of ${replicates} bootstrap resamples had a positive weight`,
      { field: "target.probabilities" },
    );
  }
  let mean = 0;
  for (const v of kept) mean += v;
  mean /= used;
  let sq = 0;
  for (const v of kept) sq += (v - mean) * (v - mean);
  const tail = (1 - level) / 2;
  return {
    estimator: terms.estimator,
    value,
    standardError: Math.sqrt(sq / (used - 1)),
    lower: sortedQuantile(kept, tail),
    upper: sortedQuantile(kept, 1 - tail),
    level,
    interval: "bootstrap",
    replicates: used,
    ...diagnostics,
  };
}

/** Linear interpolation between order statistics (Hyndman & Fan type 7). */
function sortedQuantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const i = Math.floor(h);
  const lo = sorted[i]!;
  return i + 1 < sorted.length ? lo + (h - i) * (sorted[i + 1]! - lo) : lo;
}

import { requireFinite } from "../../domain/errors.js";
import { invalid, type LoggedDecisions, validateLoggedDecisions } from "./logged-decisions.js";
import type { RewardModel } from "./reward-model.js";

export interface ActionMeanOptions {
  /** Cross-fitting folds, an integer ≥ 2 (default 5); record i belongs to fold i mod folds. */
  folds?: number;
  /**
   * Pseudo-records that pull each group's mean toward the overall mean of its training folds.
   * Estimated per fold by empirical Bayes (one-way random effects, method of moments) when omitted.
   */
  priorStrength?: number;
  /** Group by (action, position) instead of by action (default: when positions are logged). */
  byPosition?: boolean;
}

export interface ActionMeanRewardModel extends RewardModel {
  folds: number;
  byPosition: boolean;
  /** Prior strength used in each fold (Infinity: every group at the overall mean). */
  priorStrengths: number[];
}

export const DEFAULT_FOLDS = 5;

/**
 * q̂(x, a) = mean logged reward of action a (at the record's position), shrunk toward the
 * overall mean: (Σr + m·μ) / (n + m). Cross-fitted: a record's prediction comes from the other
 * folds only. Fitted on all records, a group's mean would contain the record's own reward, so
 * q̂(a_i) and r_i would be correlated and DR biased (by about Var(r)/n_a per record: large for
 * rare actions); across folds they are independent, and DR stays unbiased.
 * Ignores the context beyond position: a simple, safe baseline for DR's variance reduction.
 */
export function fitActionMeanRewardModel(
  data: LoggedDecisions,
  options: ActionMeanOptions = {},
): ActionMeanRewardModel {
  const n = validateLoggedDecisions(data);
  const folds = options.folds ?? DEFAULT_FOLDS;
  if (!(Number.isInteger(folds) && folds >= 2 && folds <= n)) {
    throw invalid("folds", `folds must be an integer in [2, ${n}], got ${String(folds)}`);
  }
  if (options.priorStrength !== undefined) requireFinite("priorStrength", options.priorStrength, { min: 0 });
  const positions = data.positions;
  const byPosition = options.byPosition ?? positions !== undefined;
  if (byPosition && positions === undefined) throw invalid("positions", "byPosition needs logged positions");
  let actions = 0;
  let slots = 1;
  for (let i = 0; i < n; i++) {
    actions = Math.max(actions, data.actions[i]! + 1);
    if (byPosition) slots = Math.max(slots, positions![i]! + 1);
  }
  const groups = actions * slots;
  const key = (i: number, a: number) => a * slots + (byPosition ? positions![i]! : 0);

  // per fold and group: count, sum, sum of squares; a fold's training set is the total minus the fold
  const count = new Float64Array((folds + 1) * groups);
  const sum = new Float64Array((folds + 1) * groups);
  const sumSq = new Float64Array((folds + 1) * groups);
  const total = folds * groups;
  for (let i = 0; i < n; i++) {
    const g = key(i, data.actions[i]!);
    const r = data.rewards[i]!;
    const own = (i % folds) * groups + g;
    count[own]! += 1;
    sum[own]! += r;
    sumSq[own]! += r * r;
    count[total + g]! += 1;
    sum[total + g]! += r;
    sumSq[total + g]! += r * r;
  }

  const tables: Float64Array[] = [];
  const means: number[] = [];
  const priorStrengths: number[] = [];
  const c = new Float64Array(groups);
  const s = new Float64Array(groups);
  const q = new Float64Array(groups);
  for (let k = 0; k < folds; k++) {
    for (let g = 0; g < groups; g++) {
      c[g] = count[total + g]! - count[k * groups + g]!;
      s[g] = sum[total + g]! - sum[k * groups + g]!;
      q[g] = sumSq[total + g]! - sumSq[k * groups + g]!;
    }
    let nTrain = 0;
    let sTrain = 0;
    for (let g = 0; g < groups; g++) {
      nTrain += c[g]!;
      sTrain += s[g]!;
    }
    const mu = sTrain / nTrain;
    const m = options.priorStrength ?? empiricalBayesStrength(c, s, q);
    const table = new Float64Array(groups);
    for (let g = 0; g < groups; g++) {
      table[g] = c[g] === 0 || m === Number.POSITIVE_INFINITY ? mu : (s[g]! + m * mu) / (c[g]! + m);
    }
    tables.push(table);
    means.push(mu);
    priorStrengths.push(m);
  }

  return {
    folds,
    byPosition,
    priorStrengths,
    predict(record: number, action: number): number {
      const k = record % folds;
      return action < actions ? tables[k]![key(record, action)]! : means[k]!;
    },
  };
}

/**
 * m = σ²/τ² from a one-way random-effects model by the method of moments: σ² the pooled
 * within-group variance, τ² the between-group variance of the true means,
 * E[SSB] = (G − 1)σ² + (N − Σn_g²/N)τ². Infinity when the groups look no different.
 */
function empiricalBayesStrength(count: Float64Array, sum: Float64Array, sumSq: Float64Array): number {
  let n = 0;
  let s = 0;
  let nonEmpty = 0;
  let between = 0; // Σ s_g²/n_g
  let squares = 0;
  let n2 = 0;
  for (let g = 0; g < count.length; g++) {
    const c = count[g]!;
    if (c === 0) continue;
    n += c;
    s += sum[g]!;
    nonEmpty++;
    between += (sum[g]! * sum[g]!) / c;
    squares += sumSq[g]!;
    n2 += c * c;
  }
  if (nonEmpty < 2 || n <= nonEmpty) return Number.POSITIVE_INFINITY;
  const within = Math.max(0, squares - between) / (n - nonEmpty);
  const ssb = between - (s * s) / n;
  const tau2 = (ssb - (nonEmpty - 1) * within) / (n - n2 / n);
  if (!(tau2 > 0)) return Number.POSITIVE_INFINITY;
  return within / tau2;
}

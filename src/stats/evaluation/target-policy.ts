import { invalid, type LoggedDecisions, requireLength } from "./logged-decisions.js";

/** The candidate policy, seen through the logged records. */
export interface TargetPolicy {
  /** π_e(a_i | x_i, position_i): probability that the candidate takes the logged action, per record. */
  probabilities: ArrayLike<number>;
  /**
   * π_e(· | x_i, position_i) over every action for record i (index = action). Only the doubly
   * robust estimator needs it, for its direct term Σ_a π_e(a|x) q̂(x, a).
   */
  distribution?: (record: number) => ArrayLike<number>;
}

/** How far a distribution row may sum from 1 (Monte Carlo shares are exact fractions; this is rounding). */
const SUM_TOLERANCE = 1e-6;

/**
 * A target policy from its full action distribution per record; checks each row (entries in
 * [0, 1], sum 1, long enough for the logged action) and reads off the logged action's probability.
 */
export function targetFromDistribution(
  data: LoggedDecisions,
  distribution: (record: number) => ArrayLike<number>,
): TargetPolicy {
  const n = data.actions.length;
  const probabilities = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = distribution(i);
    const a = data.actions[i]!;
    if (!(a < row.length)) {
      throw invalid("target.distribution", `target.distribution(${i}) has ${row.length} actions; logged action ${a}`);
    }
    let sum = 0;
    for (let j = 0; j < row.length; j++) {
      const p = row[j]!;
      if (!(p >= 0 && p <= 1)) {
        throw invalid("target.distribution", `target.distribution(${i})[${j}] must be in [0, 1], got ${p}`);
      }
      sum += p;
    }
    if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) {
      throw invalid("target.distribution", `target.distribution(${i}) must sum to 1, got ${sum}`);
    }
    probabilities[i] = row[a]!;
  }
  return { probabilities, distribution };
}

/**
 * A context-free slate policy: byPosition[s][a] = π_e(a | position s), applied to each record
 * by its logged position (the position-wise estimand: mean reward per impression).
 */
export function targetByPosition(data: LoggedDecisions, byPosition: readonly ArrayLike<number>[]): TargetPolicy {
  const positions = data.positions;
  if (positions === undefined) throw invalid("positions", "positions are required for a position-wise target policy");
  requireLength("positions", positions, data.actions.length);
  return targetFromDistribution(data, (i) => {
    const row = byPosition[positions[i]!];
    if (row === undefined) {
      throw invalid(
        "positions",
        `positions[${i}] = ${positions[i]} has no target distribution (${byPosition.length} given)`,
      );
    }
    return row;
  });
}

/** Throws BANDITRY_INVALID_PARAMETER (field "target.probabilities") unless every entry is in [0, 1]. */
export function validateTargetPolicy(target: TargetPolicy, n: number): void {
  requireLength("target.probabilities", target.probabilities, n);
  for (let i = 0; i < n; i++) {
    const p = target.probabilities[i]!;
    if (!(p >= 0 && p <= 1)) {
      throw invalid("target.probabilities", `target.probabilities[${i}] must be in [0, 1], got ${p}`);
    }
  }
}

import { BanditryError } from "../../domain/errors.js";

/**
 * Logged decisions, one entry per record (column arrays, so that 10⁵ records cost no objects).
 * For a slate, a record is one impression: the action shown at one position.
 */
export interface LoggedDecisions {
  /** Index of the logged action, an integer ≥ 0. */
  actions: ArrayLike<number>;
  /** Observed reward (any finite number; clicks are 0/1). */
  rewards: ArrayLike<number>;
  /** Logging propensity π_b(a_i | x_i, position_i), in (0, 1]. */
  propensities: ArrayLike<number>;
  /** Position (slot) of the record, an integer ≥ 0; optional. */
  positions?: ArrayLike<number>;
}

/** Throws BANDITRY_INVALID_PARAMETER naming the field (and the record) of the first bad value. */
export function validateLoggedDecisions(data: LoggedDecisions): number {
  const n = data.actions?.length;
  if (!(typeof n === "number" && n >= 2)) {
    throw invalid("actions", `at least 2 logged records are needed, got ${String(n)}`);
  }
  requireLength("rewards", data.rewards, n);
  requireLength("propensities", data.propensities, n);
  if (data.positions !== undefined) requireLength("positions", data.positions, n);
  for (let i = 0; i < n; i++) {
    const a = data.actions[i]!;
    if (!(Number.isInteger(a) && a >= 0)) throw invalid("actions", `actions[${i}] must be an integer >= 0, got ${a}`);
    const r = data.rewards[i]!;
    if (!Number.isFinite(r)) throw invalid("rewards", `rewards[${i}] must be a finite number, got ${r}`);
    const p = data.propensities[i]!;
    // written so that NaN fails too
    if (!(p > 0 && p <= 1)) throw invalid("propensities", `propensities[${i}] must be in (0, 1], got ${p}`);
    if (data.positions !== undefined) {
      const s = data.positions[i]!;
      if (!(Number.isInteger(s) && s >= 0)) {
        throw invalid("positions", `positions[${i}] must be an integer >= 0, got ${s}`);
      }
    }
  }
  return n;
}

export function requireLength(field: string, values: ArrayLike<number> | undefined, n: number): void {
  if (values?.length !== n) {
    throw invalid(field, `${field} must have one entry per logged record (${n}), got ${String(values?.length)}`);
  }
}

export function invalid(field: string, message: string): BanditryError {
  return new BanditryError("BANDITRY_INVALID_PARAMETER", message, { field });
}

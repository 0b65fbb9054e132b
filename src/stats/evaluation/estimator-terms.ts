import type { EstimatorKind } from "./off-policy-estimate.js";

/**
 * Every estimator here is a ratio of sums over records, value = Σ numerators / Σ denominators
 * (denominators all 1 when absent): IPS and DR are plain means, SNIPS divides by Σw. The
 * standard error, the intervals and the bootstrap work on these per-record terms alone.
 */
export interface EstimatorTerms {
  estimator: EstimatorKind;
  numerators: Float64Array;
  denominators?: Float64Array;
  /** Importance weights and where the clip lowered them (for the diagnostics). */
  weights: Float64Array;
  clipped: Uint8Array;
}

import { BanditryError } from "../../domain/errors.js";
import type { OffPolicyEstimate } from "./off-policy-estimate.js";
import { summarizeTerms } from "./summarize-terms.js";

export type ValueInterval = Pick<
  OffPolicyEstimate,
  "value" | "standardError" | "lower" | "upper" | "level" | "interval" | "replicates" | "records"
>;

/**
 * Mean reward of records logged by the policy itself, with the same interval as the
 * estimators (it is IPS with every weight 1): the yardstick an off-policy estimate is checked against.
 */
export function onPolicyValue(
  rewards: ArrayLike<number>,
  options: Parameters<typeof summarizeTerms>[1] = {},
): ValueInterval {
  const n = rewards.length;
  const numerators = Float64Array.from(rewards);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(numerators[i])) {
      throw new BanditryError(
        "BANDITRY_INVALID_PARAMETER",
        `rewards[${i}] must be a finite number, got ${rewards[i]}`,
        {
          field: "rewards",
        },
      );
    }
  }
  const { value, standardError, lower, upper, level, interval, replicates, records } = summarizeTerms(
    { estimator: "ips", numerators, weights: new Float64Array(n).fill(1), clipped: new Uint8Array(n) },
    options,
  );
  return { value, standardError, lower, upper, level, interval, replicates, records };
}

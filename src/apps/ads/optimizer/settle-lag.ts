import { CLICK_SETTLE_DAYS } from "../marketplace/marketplace.js";

/**
 * How old a report day must be before its figures are final. Clicks and spend settle within
 * about 3 days (invalid clicks removed); 7-day attributed sales keep arriving for 7 days. A day
 * d reported on `today` is (today − 1 − d) days old.
 */
export const SETTLE_LAG = { clicks: CLICK_SETTLE_DAYS, sales: 7 } as const;

/** First epoch day that is NOT settled on `today` (epoch day) for the given lag. */
export function settledBefore(today: number, lag: number): number {
  return today - lag;
}

import { type WindowTotals, windowScore } from "./window-score.js";

/** Rewards are clipped to ±this: one lucky order on a thin keyword must not dominate an arm. */
export const MAX_REWARD = 3;

/**
 * The bandit's reward for a bid change: the change in the window score (per day) from the
 * days before the change to the settled days after it, divided by the keyword's scale (its
 * sales value × margin plus spend per day, averaged over both windows). Continuous, 0 for "no
 * difference", positive when the change moved the keyword toward more profit at or under the
 * target, comparable across keywords of any size (so thin keywords can share a pooled
 * posterior), and clipped to ±MAX_REWARD.
 */
export function changeReward(before: WindowTotals, after: WindowTotals, target: number, margin: number): number {
  if (after.days <= 0) return 0;
  const perDay = (w: WindowTotals, x: number) => (w.days > 0 ? x / w.days : 0);
  const scale =
    (margin * (perDay(before, before.sales) + perDay(after, after.sales)) +
      perDay(before, before.cost) +
      perDay(after, after.cost)) /
    2;
  if (!(scale > 1e-9)) return 0;
  const gain = windowScore(after, target, margin) - (before.days > 0 ? windowScore(before, target, margin) : 0);
  return Math.max(-MAX_REWARD, Math.min(MAX_REWARD, gain / scale));
}

/** Totals of a keyword over some days. */
export interface WindowTotals {
  /** Calendar days covered (days without a report row had no impressions). */
  days: number;
  impressions: number;
  clicks: number;
  cost: number;
  sales: number;
  orders: number;
}

/**
 * How much more an ACoS overshoot costs than its spend: the Lagrange multiplier of the
 * constraint ACoS ≤ target. With margin m and target t, above the target the score grows only
 * while the marginal ACoS is below (m + λt)/(1 + λ), 0.28 for m = 0.4, t = 0.25, λ = 5.
 */
export const ACOS_PENALTY = 5;

/**
 * Score of a window, per day, in money: profit (sales × margin − spend) minus ACOS_PENALTY ×
 * the spend above target × sales. This is the Lagrangian of "maximize profit subject to ACoS ≤
 * target": below the target it is plain profit, so more sales at a margin above the target
 * always score higher; above it each extra unit of spend costs 1 + λ. Along a keyword's
 * response curve (more spend buys more sales at a rising marginal cost) it therefore peaks at
 * the target ACoS when the margin exceeds the target, and at the profit optimum below the
 * target when it does not — never above the target by more than the marginal-ACoS bound.
 */
export function windowScore(w: Pick<WindowTotals, "days" | "cost" | "sales">, target: number, margin: number): number {
  if (w.days <= 0) return 0;
  const overshoot = Math.max(0, w.cost - target * w.sales);
  return (w.sales * margin - w.cost - ACOS_PENALTY * overshoot) / w.days;
}

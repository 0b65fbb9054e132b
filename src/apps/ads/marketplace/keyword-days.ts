import type { KeywordDay } from "../optimizer/optimizer-types.js";
import type { KeywordDayMetrics } from "./keyword-day-metrics.js";

/** The simulator's report rows as the optimizer reads a report: 7-day attributed sales and the bid in effect. */
export function keywordDays(rows: readonly KeywordDayMetrics[]): KeywordDay[] {
  return rows.map((r) => ({
    keywordId: r.keywordId,
    date: r.date,
    impressions: r.impressions,
    clicks: r.clicks,
    cost: r.cost,
    sales: r.sales7d,
    orders: r.purchases7d,
    bid: r.bid,
  }));
}

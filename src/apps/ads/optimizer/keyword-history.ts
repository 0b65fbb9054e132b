import { epochDay } from "../marketplace/calendar.js";
import type { KeywordDay } from "./optimizer-types.js";
import type { WindowTotals } from "./window-score.js";

/**
 * One keyword's report days by epoch day, to total any window of calendar days. Rows are
 * absent for days without impressions: those days count as zero.
 */
export class KeywordHistory {
  private readonly byDay = new Map<number, KeywordDay>();

  add(row: KeywordDay): void {
    this.byDay.set(epochDay(row.date, "history.date"), row);
  }

  /** The row of an epoch day, if any. */
  row(day: number): KeywordDay | undefined {
    return this.byDay.get(day);
  }

  /** Days with a row, oldest first. */
  rows(): { day: number; row: KeywordDay }[] {
    return [...this.byDay.entries()].sort((a, b) => a[0] - b[0]).map(([day, row]) => ({ day, row }));
  }

  /** Totals of epoch days from ≤ d < to. */
  totals(from: number, to: number): WindowTotals {
    const t: WindowTotals = { days: Math.max(0, to - from), impressions: 0, clicks: 0, cost: 0, sales: 0, orders: 0 };
    for (const [day, r] of this.byDay) {
      if (day < from || day >= to) continue;
      t.impressions += r.impressions;
      t.clicks += r.clicks;
      t.cost += r.cost;
      t.sales += r.sales;
      t.orders += r.orders;
    }
    return t;
  }
}

/** Groups report rows by keyword id. */
export function historiesByKeyword(history: readonly KeywordDay[]): Map<string, KeywordHistory> {
  const out = new Map<string, KeywordHistory>();
  for (const row of history) {
    let h = out.get(row.keywordId);
    if (!h) {
      h = new KeywordHistory();
      out.set(row.keywordId, h);
    }
    h.add(row);
  }
  return out;
}

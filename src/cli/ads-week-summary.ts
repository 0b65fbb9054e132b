import type { DaySummary } from "../apps/ads/marketplace/marketplace.js";
import { formatTable } from "./format-table.js";

/**
 * Weeks of simulated days as a table: spend, sales (of each day's clicks, whenever their orders
 * arrived), ACoS and profit = sales × margin − spend.
 */
export function formatWeekSummary(days: readonly { day: DaySummary; label: string }[], margin: number): string {
  const weeks: { label: string; from: string; to: string; cost: number; sales: number; clicks: number }[] = [];
  days.forEach(({ day, label }, i) => {
    const key = `${label} ${Math.floor(i / 7) + 1}`;
    let w = weeks.at(-1);
    if (w === undefined || w.label !== key) {
      w = { label: key, from: day.date, to: day.date, cost: 0, sales: 0, clicks: 0 };
      weeks.push(w);
    }
    w.to = day.date;
    w.cost += day.cost;
    w.sales += day.sales;
    w.clicks += day.clicks;
  });
  const money = (x: number) => x.toFixed(2);
  return formatTable(
    ["WEEK", "DAYS", "CLICKS", "SPEND", "SALES", "ACOS", "PROFIT"],
    weeks.map((w) => [
      w.label,
      `${w.from}…${w.to}`,
      String(w.clicks),
      money(w.cost),
      money(w.sales),
      w.sales > 0 ? `${((100 * w.cost) / w.sales).toFixed(1)}%` : "-",
      money(w.sales * margin - w.cost),
    ]),
  );
}

import type { AdsPlanItemRecord, AdsPlanRecord } from "../../../stores/stores.js";

export interface PlanSummary {
  keywords: number;
  changes: number;
  holds: number;
  /** Items by execution state (pending, succeeded, failed, …). */
  execution: Record<string, number>;
}

/** A plan with its items, as the API and the CLI show it. */
export interface PlanView extends AdsPlanRecord {
  summary: PlanSummary;
  items: AdsPlanItemRecord[];
}

export function planView(plan: AdsPlanRecord, items: AdsPlanItemRecord[]): PlanView {
  const execution: Record<string, number> = {};
  for (const i of items) execution[i.execution] = (execution[i.execution] ?? 0) + 1;
  return {
    ...plan,
    summary: {
      keywords: items.length,
      changes: items.filter((i) => i.action === "change").length,
      holds: items.filter((i) => i.action === "hold").length,
      execution,
    },
    items,
  };
}

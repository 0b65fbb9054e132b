import { epochDay } from "../marketplace/calendar.js";
import { changeReward } from "./change-reward.js";
import { historiesByKeyword, KeywordHistory } from "./keyword-history.js";
import type { ExecutedChange, KeywordDay, OptimizerSettings, SettledReward } from "./optimizer-types.js";
import { resolveSettings } from "./resolve-settings.js";
import { SETTLE_LAG, settledBefore } from "./settle-lag.js";

export interface SettleInput {
  /** The day of the run (YYYY-MM-DD): report days older than the sales settle lag count. */
  today: string;
  history: readonly KeywordDay[];
  changes: readonly ExecutedChange[];
  settings: OptimizerSettings;
}

/** Shortest evaluation window after a change, whatever the cooldown. */
export const MIN_EVALUATION_DAYS = 3;
/** Days before a change that form its baseline. */
export const BASELINE_DAYS = 14;

/**
 * Rewards of executed changes (with a bandit event id) whose evaluation window has settled:
 * the window runs from the day the bid took effect for max(cooldown, MIN_EVALUATION_DAYS) days,
 * cut short by the keyword's next change, and counts once all its days are SETTLE_LAG.sales
 * old (clicks and 7-day attributed sales final). The reward compares it with the BASELINE_DAYS
 * before the change (change-reward.ts). Pure: every settled change is listed each time; the
 * caller sends those it has not sent (a repeated reward is refused as a duplicate anyway).
 */
export function settleRewards(input: SettleInput): SettledReward[] {
  const s = resolveSettings(input.settings);
  const today = epochDay(input.today, "today");
  const settled = settledBefore(today, SETTLE_LAG.sales);
  const evalDays = Math.max(s.cooldownDays, MIN_EVALUATION_DAYS);
  const histories = historiesByKeyword(input.history);
  const byKeyword = new Map<string, { day: number; change: ExecutedChange }[]>();
  for (const c of input.changes) {
    let list = byKeyword.get(c.keywordId);
    if (!list) {
      list = [];
      byKeyword.set(c.keywordId, list);
    }
    list.push({ day: epochDay(c.date, "changes.date"), change: c });
  }
  const out: SettledReward[] = [];
  for (const [keywordId, list] of byKeyword) {
    list.sort((a, b) => a.day - b.day);
    const h = histories.get(keywordId) ?? new KeywordHistory();
    list.forEach(({ day, change }, i) => {
      if (change.eventId === null) return;
      const next = list[i + 1]?.day ?? Number.POSITIVE_INFINITY;
      const prev = list[i - 1]?.day ?? Number.NEGATIVE_INFINITY;
      const end = Math.min(day + evalDays, next);
      if (end > settled || end <= day) return;
      const after = h.totals(day, end);
      const before = h.totals(Math.max(day - BASELINE_DAYS, prev), day);
      out.push({
        eventId: change.eventId,
        keywordId,
        value: changeReward(before, after, s.effectiveTarget, s.margin),
        acos: after.sales > 0 ? after.cost / after.sales : null,
        clicks: after.clicks,
        cost: Math.round(after.cost * 100) / 100,
        sales: Math.round(after.sales * 100) / 100,
      });
    });
  }
  return out;
}

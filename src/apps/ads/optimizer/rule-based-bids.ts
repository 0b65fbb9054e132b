import { epochDay } from "../marketplace/calendar.js";
import { historiesByKeyword, KeywordHistory } from "./keyword-history.js";
import type { KeywordDay, KeywordInfo } from "./optimizer-types.js";
import { SETTLE_LAG, settledBefore } from "./settle-lag.js";

export interface RuleBasedInput {
  keywords: readonly KeywordInfo[];
  history: readonly KeywordDay[];
  today: string;
  targetAcos: number;
  bidLimits: { min: number; max: number };
  /** Defaults: 10 clicks, ±20% per step, 30 days of settled data. */
  minClicks?: number;
  maxChange?: number;
  lookbackDays?: number;
}

/**
 * The rule sellers use, a benchmark baseline: once a keyword has ≥ 10 clicks in the last 30
 * settled days, set its bid to target ACoS × revenue per click (its own sales / clicks), moving
 * at most ±20% per run. Returns the new bid of each keyword it changes.
 */
export function ruleBasedBids(input: RuleBasedInput): Map<string, number> {
  const minClicks = input.minClicks ?? 10;
  const maxChange = input.maxChange ?? 0.2;
  const today = epochDay(input.today, "today");
  const to = settledBefore(today, SETTLE_LAG.sales);
  const from = to - (input.lookbackDays ?? 30);
  const histories = historiesByKeyword(input.history);
  const out = new Map<string, number>();
  for (const k of input.keywords) {
    if (k.state.toUpperCase() !== "ENABLED") continue;
    const t = (histories.get(k.keywordId) ?? new KeywordHistory()).totals(from, to);
    if (t.clicks < minClicks) continue;
    const wanted = (input.targetAcos * t.sales) / t.clicks;
    const capped = Math.min(k.bid * (1 + maxChange), Math.max(k.bid * (1 - maxChange), wanted));
    const bid = Math.min(input.bidLimits.max, Math.max(input.bidLimits.min, Math.round(capped * 100) / 100));
    if (Math.abs(bid - k.bid) >= 0.01) out.set(k.keywordId, bid);
  }
  return out;
}

import type { KeywordMatchType } from "./catalog.js";

/** One keyword-day as Amazon would report it on the simulator's current day. */
export interface KeywordDayMetrics {
  date: string;
  campaignId: string;
  adGroupId: string;
  keywordId: string;
  keywordText: string;
  matchType: KeywordMatchType;
  /** Bid in effect that day. */
  bid: number;
  impressions: number;
  /** Settled within 3 days: fresh days still hold invalid clicks that are later removed. */
  clicks: number;
  cost: number;
  purchases1d: number;
  purchases7d: number;
  purchases14d: number;
  purchases30d: number;
  sales1d: number;
  sales7d: number;
  sales14d: number;
  sales30d: number;
  unitsSold1d: number;
  unitsSold7d: number;
  unitsSold14d: number;
  unitsSold30d: number;
}

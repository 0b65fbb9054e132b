import type { KeywordDayMetrics } from "../marketplace/keyword-day-metrics.js";
import type { Marketplace } from "../marketplace/marketplace.js";

type Cell = string | number | null;
type Getter = (r: KeywordDayMetrics, m: Marketplace) => Cell;

const pct = (num: number, den: number) => (den > 0 ? (num / den) * 100 : null);
const ratio = (num: number, den: number) => (den > 0 ? num / den : null);
const round = (x: number) => Math.round(x * 100) / 100;

const windowed: Record<string, Getter> = {};
for (const w of [1, 7, 14, 30] as const) {
  windowed[`purchases${w}d`] = (r) => r[`purchases${w}d`];
  windowed[`purchasesSameSku${w}d`] = (r) => r[`purchases${w}d`];
  windowed[`sales${w}d`] = (r) => r[`sales${w}d`];
  windowed[`attributedSalesSameSku${w}d`] = (r) => r[`sales${w}d`];
  windowed[`unitsSoldClicks${w}d`] = (r) => r[`unitsSold${w}d`];
  windowed[`unitsSoldSameSku${w}d`] = (r) => r[`unitsSold${w}d`];
}

/**
 * Columns of the spTargeting report (Amazon's list) and how the local server fills them from
 * the simulator. The simulated seller advertises one SKU per ad, so "same SKU" figures equal
 * the totals and "other SKU" ones are 0. Percentages (CTR, ACoS) are in percent, as Amazon
 * writes them; ACoS and ROAS are null without sales or spend. startDate/endDate are set by
 * the SUMMARY aggregation.
 */
export const SP_TARGETING_COLUMNS: Readonly<Record<string, Getter>> = {
  date: (r) => r.date,
  startDate: (r) => r.date,
  endDate: (r) => r.date,
  campaignId: (r) => r.campaignId,
  campaignName: (r, m) => m.campaign(r.campaignId)!.name,
  campaignStatus: (r, m) => m.campaign(r.campaignId)!.state,
  campaignBudgetAmount: (r, m) => m.campaign(r.campaignId)!.dailyBudget,
  campaignBudgetType: () => "DAILY_BUDGET",
  campaignBudgetCurrencyCode: (_r, m) => m.profile.currencyCode,
  portfolioId: () => null,
  adGroupId: (r) => r.adGroupId,
  adGroupName: (r, m) => m.adGroup(r.adGroupId)!.name,
  keywordId: (r) => r.keywordId,
  keyword: (r) => r.keywordText,
  targeting: (r) => r.keywordText,
  matchType: (r) => r.matchType,
  keywordType: (r) => r.matchType,
  keywordBid: (r) => r.bid,
  adKeywordStatus: (r, m) => m.keyword(r.keywordId)!.state,
  impressions: (r) => r.impressions,
  clicks: (r) => r.clicks,
  cost: (r) => r.cost,
  costPerClick: (r) => (r.clicks > 0 ? round(r.cost / r.clicks) : 0),
  clickThroughRate: (r) => pct(r.clicks, r.impressions) ?? 0,
  ...windowed,
  salesOtherSku7d: () => 0,
  unitsSoldOtherSku7d: () => 0,
  acosClicks7d: (r) => pct(r.cost, r.sales7d),
  acosClicks14d: (r) => pct(r.cost, r.sales14d),
  roasClicks7d: (r) => ratio(r.sales7d, r.cost),
  roasClicks14d: (r) => ratio(r.sales14d, r.cost),
  topOfSearchImpressionShare: () => null,
  addToList: () => 0,
  qualifiedBorrows: () => 0,
  royaltyQualifiedBorrows: () => 0,
  kindleEditionNormalizedPagesRead14d: () => 0,
  kindleEditionNormalizedPagesRoyalties14d: () => 0,
};

/** Keyword-days summed per keyword over the report's range (timeUnit SUMMARY). */
export function summarize(rows: readonly KeywordDayMetrics[]): KeywordDayMetrics[] {
  const byKeyword = new Map<string, KeywordDayMetrics>();
  for (const r of rows) {
    const acc = byKeyword.get(r.keywordId);
    if (acc === undefined) {
      byKeyword.set(r.keywordId, { ...r });
      continue;
    }
    for (const key of Object.keys(r) as (keyof KeywordDayMetrics)[]) {
      const v = r[key];
      if (typeof v === "number" && key !== "bid")
        (acc as unknown as Record<string, number>)[key] = round((acc[key] as number) + v);
    }
    acc.bid = r.bid; // the latest day's bid
  }
  return [...byKeyword.values()];
}

/** Id fields written as decimal strings by JSON.stringify, to be unquoted. */
const ID_FIELD = /"(campaignId|adGroupId|keywordId|portfolioId)":"(\d+)"/g;

/**
 * The report file's JSON: an array of flat rows with ids as bare integers however large, as
 * Amazon writes them. (Ids stay strings in the rows and lose their quotes in the text; an
 * escaped quote inside a keyword cannot match, so keyword texts are safe.)
 */
export function reportJson(rows: readonly Record<string, Cell>[]): string {
  return JSON.stringify(rows).replace(ID_FIELD, '"$1":$2');
}

/** One report row with the requested columns. */
export function reportRow(
  r: KeywordDayMetrics,
  m: Marketplace,
  columns: readonly string[],
  range: { startDate: string; endDate: string } | undefined,
): Record<string, Cell> {
  const row: Record<string, Cell> = {};
  for (const c of columns) {
    if (range !== undefined && (c === "startDate" || c === "endDate")) row[c] = range[c];
    else row[c] = SP_TARGETING_COLUMNS[c]!(r, m);
  }
  return row;
}

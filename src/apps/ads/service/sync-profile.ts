import type { AdsKeywordDayRecord, AdsKeywordRecord } from "../../../stores/stores.js";
import { addDays } from "./ads-dates.js";
import type { AdsDeps } from "./ads-deps.js";
import { findProfile } from "./find-profile.js";
import { type RewardSummary, sendSettledRewards } from "./send-settled-rewards.js";

export interface SyncResult {
  profileId: string;
  today: string;
  campaigns: number;
  keywords: number;
  /** Keyword-days stored from the report (startDate…endDate). */
  reportDays: number;
  startDate: string;
  endDate: string;
  rewards: RewardSummary;
}

/**
 * Pulls a profile's campaigns, ad groups (default bids) and keywords (paginated) and a daily
 * spTargeting keyword report of the last reportDays days (recent sales are restated, so the
 * days are re-pulled and overwritten), then sends the rewards of changes that have settled.
 */
export async function syncProfile(deps: AdsDeps, profileId: string): Promise<SyncResult> {
  const profile = await findProfile(deps, profileId);
  const client = deps.clients.forProfile(profile);
  const today = deps.today(profile);
  const now = deps.now();

  const states = { include: ["ENABLED" as const, "PAUSED" as const] };
  const campaigns = await client.listCampaigns(profileId, { stateFilter: states });
  const defaultBids = new Map<string, number>();
  for (const g of await client.listAdGroups(profileId)) defaultBids.set(g.adGroupId, g.defaultBid);
  const keywords: AdsKeywordRecord[] = [];
  for await (const k of client.iterateKeywords(profileId, { stateFilter: states })) {
    keywords.push({
      profileId,
      keywordId: k.keywordId,
      adGroupId: k.adGroupId,
      campaignId: k.campaignId,
      keywordText: k.keywordText,
      matchType: k.matchType,
      state: k.state,
      // a keyword without a bid of its own bids its ad group's default
      bid: k.bid ?? defaultBids.get(k.adGroupId) ?? 0,
      syncedAt: now,
    });
  }
  await deps.store.upsertKeywords(keywords);

  const endDate = addDays(today, -1);
  const startDate = addDays(today, -deps.reportDays);
  const rows = await client.keywordReport(profileId, { startDate, endDate });
  const days: AdsKeywordDayRecord[] = rows.map((r) => ({
    profileId,
    keywordId: r.keywordId,
    date: r.date,
    impressions: num(r.impressions),
    clicks: num(r.clicks),
    cost: num(r.cost),
    // 7-day attribution, Sponsored Products' window for sellers: the optimizer's settle lag assumes it
    sales: num(r.sales7d),
    orders: num(r.purchases7d),
  }));
  await deps.store.upsertKeywordDays(days);
  await deps.store.setProfileSynced(profileId, now);

  const rewards = await sendSettledRewards(deps, profile, today);
  return {
    profileId,
    today,
    campaigns: campaigns.length,
    keywords: keywords.length,
    reportDays: days.length,
    startDate,
    endDate,
    rewards,
  };
}

function num(v: unknown): number {
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

import type { SimAdGroup, SimCampaign, SimKeyword } from "../marketplace/catalog.js";
import type { Marketplace } from "../marketplace/marketplace.js";

const iso = (ms: number) => new Date(ms).toISOString();
const created = (m: Marketplace) => `${m.startDate}T00:00:00.000Z`;

/** SP v3 Campaign as the API answers it. */
export function campaignToWire(m: Marketplace, c: Readonly<SimCampaign>, extended: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    campaignId: c.campaignId,
    name: c.name,
    state: c.state,
    targetingType: "MANUAL",
    budget: { budget: c.dailyBudget, budgetType: "DAILY" },
    startDate: c.startDate,
    dynamicBidding: { strategy: "LEGACY_FOR_SALES", placementBidding: [] },
  };
  if (c.portfolioId !== undefined) out["portfolioId"] = c.portfolioId;
  if (extended) {
    out["extendedData"] = {
      creationDateTime: created(m),
      lastUpdateDateTime: created(m),
      servingStatus:
        c.state === "ENABLED"
          ? "CAMPAIGN_STATUS_ENABLED"
          : c.state === "PAUSED"
            ? "CAMPAIGN_PAUSED"
            : "CAMPAIGN_ARCHIVED",
    };
  }
  return out;
}

export function adGroupToWire(m: Marketplace, g: Readonly<SimAdGroup>, extended: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    adGroupId: g.adGroupId,
    campaignId: g.campaignId,
    name: g.name,
    state: g.state,
    defaultBid: g.defaultBid,
  };
  if (extended) {
    out["extendedData"] = {
      creationDateTime: created(m),
      lastUpdateDateTime: created(m),
      servingStatus:
        g.state === "ENABLED"
          ? "AD_GROUP_STATUS_ENABLED"
          : g.state === "PAUSED"
            ? "AD_GROUP_PAUSED"
            : "AD_GROUP_ARCHIVED",
    };
  }
  return out;
}

/** SP v3 Keyword: `bid` only when the keyword has its own (else the ad group's default applies). */
export function keywordToWire(m: Marketplace, k: Readonly<SimKeyword>, extended: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    keywordId: k.keywordId,
    campaignId: k.campaignId,
    adGroupId: k.adGroupId,
    keywordText: k.keywordText,
    matchType: k.matchType,
    state: k.state,
  };
  if (k.bid !== undefined) out["bid"] = k.bid;
  if (extended) {
    out["extendedData"] = {
      creationDateTime: created(m),
      lastUpdateDateTime: iso(k.updatedAt),
      servingStatus: keywordServingStatus(m, k),
    };
  }
  return out;
}

function keywordServingStatus(m: Marketplace, k: Readonly<SimKeyword>): string {
  const campaign = m.campaign(k.campaignId)!;
  const adGroup = m.adGroup(k.adGroupId)!;
  if (campaign.state === "ARCHIVED") return "CAMPAIGN_ARCHIVED";
  if (campaign.state !== "ENABLED") return "CAMPAIGN_PAUSED";
  if (adGroup.state === "ARCHIVED") return "AD_GROUP_ARCHIVED";
  if (adGroup.state !== "ENABLED") return "AD_GROUP_PAUSED";
  if (k.state === "ARCHIVED") return "TARGETING_CLAUSE_ARCHIVED";
  if (k.state !== "ENABLED") return "TARGETING_CLAUSE_PAUSED";
  return "TARGETING_CLAUSE_STATUS_LIVE";
}

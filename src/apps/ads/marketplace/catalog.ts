import type { EntityState, MatchType } from "../../../connectors/amazon-ads/sp-types.js";
import type { KeywordTruth } from "./auction-model.js";

export type KeywordMatchType = Exclude<MatchType, "OTHER">;

export interface SimCampaign {
  campaignId: string;
  name: string;
  state: EntityState;
  dailyBudget: number;
  startDate: string;
  portfolioId?: string;
}

export interface SimAdGroup {
  adGroupId: string;
  campaignId: string;
  name: string;
  state: EntityState;
  defaultBid: number;
}

export interface SimKeyword {
  keywordId: string;
  adGroupId: string;
  campaignId: string;
  keywordText: string;
  matchType: KeywordMatchType;
  state: EntityState;
  /** Keyword-level bid; undefined: the ad group's defaultBid applies. */
  bid: number | undefined;
  /** Epoch ms of the last change (extendedData.lastUpdateDateTime). */
  updatedAt: number;
}

/** An explicit catalog (tests, scenarios); ids are generated, truths default by match type. */
export interface CatalogSpec {
  campaigns: {
    name: string;
    dailyBudget: number;
    state?: EntityState;
    adGroups: {
      name: string;
      defaultBid: number;
      state?: EntityState;
      keywords: {
        text: string;
        matchType: KeywordMatchType;
        bid?: number;
        state?: EntityState;
        truth?: Partial<KeywordTruth>;
      }[];
    }[];
  }[];
}

/** Size of a generated catalog. */
export interface CatalogSize {
  campaigns?: number;
  adGroupsPerCampaign?: number;
  keywordsPerAdGroup?: number;
}

/**
 * Sponsored Products v3 shapes, as SponsoredProducts_prod_3p.json (OpenAPI 3.0.1) defines
 * them; only the fields banditry reads are spelled out, the rest pass through untyped.
 * Ids are strings in SP v3.
 */
export type EntityState = "ENABLED" | "PAUSED" | "ARCHIVED" | "ENABLING" | "OTHER" | "PROPOSED" | "USER_DELETED";
export type WritableState = "ENABLED" | "PAUSED" | "PROPOSED";
export type MatchType = "BROAD" | "EXACT" | "PHRASE" | "OTHER";

export interface IdFilter {
  include: string[];
}

export interface StateFilter {
  include: EntityState[];
}

export interface NameFilter {
  include: string[];
  queryTermMatchType?: "BROAD_MATCH" | "EXACT_MATCH";
}

export interface SpCampaign {
  campaignId: string;
  name: string;
  state: EntityState;
  targetingType: "AUTO" | "MANUAL";
  budget: { budget: number; budgetType: "DAILY" | "OTHER"; effectiveBudget?: number };
  startDate: string;
  endDate?: string | null;
  portfolioId?: string;
  dynamicBidding?: {
    strategy: "AUTO_FOR_SALES" | "LEGACY_FOR_SALES" | "MANUAL" | "OTHER" | "RULE_BASED";
    placementBidding?: { placement?: string; percentage?: number }[];
  };
  [field: string]: unknown;
}

export interface SpAdGroup {
  adGroupId: string;
  campaignId: string;
  name: string;
  state: EntityState;
  /** Bid of the ad group's keywords that carry none of their own. */
  defaultBid: number;
  [field: string]: unknown;
}

export interface SpKeyword {
  keywordId: string;
  campaignId: string;
  adGroupId: string;
  keywordText: string;
  matchType: MatchType;
  state: EntityState;
  /** Absent: the keyword bids its ad group's defaultBid. */
  bid?: number;
  [field: string]: unknown;
}

/** Body of POST /sp/campaigns/list, without nextToken (the client pages). */
export interface CampaignListFilter {
  campaignIdFilter?: IdFilter;
  portfolioIdFilter?: IdFilter;
  stateFilter?: StateFilter;
  nameFilter?: NameFilter;
  includeExtendedDataFields?: boolean;
  maxResults?: number;
}

/** Body of POST /sp/adGroups/list, without nextToken. */
export interface AdGroupListFilter {
  campaignIdFilter?: IdFilter;
  adGroupIdFilter?: IdFilter;
  stateFilter?: StateFilter;
  nameFilter?: NameFilter;
  campaignTargetingTypeFilter?: "AUTO" | "MANUAL";
  includeExtendedDataFields?: boolean;
  maxResults?: number;
}

/** Body of POST /sp/keywords/list, without nextToken. */
export interface KeywordListFilter {
  campaignIdFilter?: IdFilter;
  adGroupIdFilter?: IdFilter;
  keywordIdFilter?: IdFilter;
  stateFilter?: StateFilter;
  matchTypeFilter?: MatchType[];
  keywordTextFilter?: NameFilter & { queryTermMatchType: "BROAD_MATCH" | "EXACT_MATCH" };
  locale?: string;
  includeExtendedDataFields?: boolean;
  maxResults?: number;
}

/** One item of PUT /sp/keywords. bid null: back to the ad group's default bid. */
export interface KeywordUpdate {
  keywordId: string;
  bid?: number | null;
  state?: WritableState;
}

/** One error of a failed 207 item: errorType names the one key set in errorValue. */
export interface KeywordMutationError {
  errorType: string;
  errorValue: Record<string, { reason: string; message: string; [field: string]: unknown }>;
}

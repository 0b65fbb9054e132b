/**
 * The contract between the bid optimizer (src/apps/ads/optimizer) and the ads service that stores
 * plans, executes them through the Amazon Ads API and schedules runs (src/apps/ads/service).
 * Money is in the profile's currency; dates are YYYY-MM-DD in the profile's time zone.
 */

export type Strategy = "aggressive" | "balanced" | "conservative";

export interface OptimizerSettings {
  strategy: Strategy;
  /** Target advertising cost of sales, spend / sales (0.25 = 25%). */
  targetAcos: number;
  /** Bid multiplier arms; default from the strategy ([0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.5] for balanced). */
  multipliers?: number[];
  /** Guardrails; defaults from the strategy. */
  minClicks?: number;
  minSpend?: number;
  /** Largest relative change of a bid in one step (0.2 = ±20%). */
  maxChange?: number;
  /** Days after a change during which the keyword is left alone. */
  cooldownDays?: number;
  /** User bid limits; the marketplace's limits always apply too. */
  minBid?: number;
  maxBid?: number;
  /** Weight (0..1) of the market-response model's profit-maximizing bid in the blend with the bandit's proposal. */
  modelWeight?: number;
  /** Product margin used for profit (sales × margin − spend). */
  margin?: number;
  /**
   * Bid thin keywords (under minClicks and minSpend) up one capped step per cooldown, up to
   * 2 × target ACoS × revenue per click, instead of holding them (default true). Such a step is
   * a plan item with action "change" and no bandit decision (eventId null).
   */
  discoverThinKeywords?: boolean;
}

/** A keyword as the Amazon Ads API lists it (ids are decimal strings: 64-bit ids are kept exact). */
export interface KeywordInfo {
  keywordId: string;
  adGroupId: string;
  campaignId: string;
  keywordText: string;
  matchType: string;
  state: string;
  bid: number;
}

/** One keyword's day from a spTargeting report (sales attributed so far: recent days are not settled). */
export interface KeywordDay {
  keywordId: string;
  date: string;
  impressions: number;
  clicks: number;
  cost: number;
  sales: number;
  orders: number;
  /** Bid in effect that day (the report's keywordBid); when absent it is rebuilt from the executed changes. */
  bid?: number;
}

/** A bid change that was executed (pushed and accepted by the API). */
export interface ExecutedChange {
  keywordId: string;
  /** Date the new bid took effect. */
  date: string;
  fromBid: number;
  toBid: number;
  /** The bandit decision behind the change; its reward is sent once the keyword's data settles. */
  eventId: string | null;
}

export interface OptimizeInput {
  profileId: string;
  /** Country code of the profile (marketplace bid limits). */
  countryCode: string;
  /** The day the plan is for. */
  today: string;
  keywords: KeywordInfo[];
  history: KeywordDay[];
  changes: ExecutedChange[];
  settings: OptimizerSettings;
  /** Unique per plan; decision event ids derive from it, so re-running a plan never decides twice. */
  planId: string;
}

export type PlanItemAction = "change" | "hold";

export interface PlanItem {
  keywordId: string;
  adGroupId: string;
  campaignId: string;
  currentBid: number;
  proposedBid: number;
  action: PlanItemAction;
  /** The multiplier arm the bandit chose, null when it was not asked (guardrail hold). */
  armId: string | null;
  multiplier: number | null;
  /** Posterior mean reward of the chosen arm. */
  expectedReward: number | null;
  /** Probability (0..1) that the proposal is an improvement, used by autoExecute's minConfidence. */
  confidence: number;
  /** Plain-language reason, including the bandit/model blend and any guardrail that bound the bid. */
  reason: string;
  /** The logged (not yet activated) bandit decision; activated when the change is executed. */
  eventId: string | null;
  /** The market-response model's profit-maximizing bid and its blend weight, when it had data. */
  modelBid: number | null;
  modelWeight: number;
}

/** A reward to send for an executed change whose evaluation window has settled. */
export interface SettledReward {
  eventId: string;
  keywordId: string;
  value: number;
  /** ACoS over the settled window (null without sales). */
  acos: number | null;
  clicks: number;
  cost: number;
  sales: number;
}

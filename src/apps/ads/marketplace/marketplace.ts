import {
  MARKETPLACES,
  type MarketplaceCountry,
  type MarketplaceInfo,
} from "../../../connectors/amazon-ads/marketplaces.js";
import type { EntityState } from "../../../connectors/amazon-ads/sp-types.js";
import { BanditryError } from "../../../domain/errors.js";
import { sampleStandardNormal } from "../../../stats/distributions/normal.js";
import { createRng, type Rng } from "../../../stats/rng.js";
import { sampleLag } from "./attribution-lag.js";
import {
  type ExpectedOutcome,
  expectedCpc,
  expectedOutcome,
  impressionCtr,
  type KeywordTruth,
  winProbability,
} from "./auction-model.js";
import { dateOf, dayOfWeek, epochDay, WEEKLY_SEASONALITY } from "./calendar.js";
import type { CatalogSize, CatalogSpec, SimAdGroup, SimCampaign, SimKeyword } from "./catalog.js";
import { attributed, type DayRecord } from "./day-record.js";
import { generateCatalog, sampleTruth } from "./generate-catalog.js";
import type { KeywordDayMetrics } from "./keyword-day-metrics.js";
import { sampleBinomial, sampleMeanOneLogNormal, samplePoisson } from "./sampling.js";
import { streamSeed } from "./stream-seed.js";

/** Rough currency units per US dollar, so generated prices look local. */
const CURRENCY_PER_USD: Readonly<Record<string, number>> = {
  USD: 1,
  CAD: 1.35,
  MXN: 17,
  BRL: 5,
  GBP: 0.8,
  EUR: 0.92,
  SEK: 10.5,
  PLN: 4,
  TRY: 32,
  AED: 3.67,
  INR: 83,
  JPY: 150,
  AUD: 1.5,
  SGD: 1.35,
};

/** Clicks are final (invalid ones removed) this many days after the day. */
export const CLICK_SETTLE_DAYS = 3;

export interface MarketplaceOptions {
  seed: number;
  /** First simulated day (default 2026-01-01). */
  startDate?: string;
  /** Default US. */
  countryCode?: MarketplaceCountry;
  /** int64 as a decimal string; generated (18 digits) when absent. */
  profileId?: string;
  accountName?: string;
  /** Explicit campaigns; otherwise a catalog of `size` is generated. */
  catalog?: CatalogSpec;
  size?: CatalogSize;
  /** Sd of a keyword's daily log-demand noise (default 0.25). */
  demandNoiseSd?: number;
  /** Sd of the market-wide daily log-demand shock (default 0.08). */
  marketNoiseSd?: number;
  /** Share of clicks found invalid and refunded within CLICK_SETTLE_DAYS (default 0.03). */
  invalidClickRate?: number;
}

export interface MarketplaceProfile {
  profileId: string;
  countryCode: MarketplaceCountry;
  currencyCode: string;
  timezone: string;
  marketplaceStringId: string;
  accountId: string;
  accountName: string;
}

export interface DaySummary {
  date: string;
  impressions: number;
  clicks: number;
  cost: number;
  /** Orders and sales of the day's clicks, whenever they arrive. */
  orders: number;
  sales: number;
}

const MARKET_STREAM = 0x7fffffff;

/**
 * Seeded, deterministic Sponsored Products marketplace for one advertiser profile.
 * Each keyword has a latent search volume, competing-bid distribution, CTR, CVR and order
 * value, and a top-of-search placement that costs more and gets more clicks. A day at bid b:
 * impressions ~ Poisson(volume × seasonality × noise × P(win at b)), clicks binomial at a CTR
 * that rises with the top-of-search share, orders binomial, cost per click that of a
 * second-price-like auction (≤ b, rising with b: auction-model.ts), orders
 * arriving over the following days (attribution lag), invalid clicks removed after 3 days,
 * spend paced to the campaign's daily budget. Bids and states set during a day take effect
 * on the next advanceDay(). Every keyword-day draws from its own random stream, so changing
 * one keyword's bid leaves the other keywords' luck unchanged (common random numbers).
 */
export class Marketplace {
  readonly seed: number;
  readonly profile: MarketplaceProfile;
  readonly info: MarketplaceInfo;
  readonly startDate: string;
  /** Currency units per US dollar (scales generated prices). */
  readonly money: number;

  private readonly campaignList: SimCampaign[] = [];
  private readonly adGroupList: SimAdGroup[] = [];
  private readonly keywordList: SimKeyword[] = [];
  private readonly truths: KeywordTruth[] = [];
  private readonly campaignById = new Map<string, SimCampaign>();
  private readonly adGroupById = new Map<string, SimAdGroup>();
  private readonly keywordIndex = new Map<string, number>();
  private readonly days: DayRecord[] = [];
  private readonly startDay: number;
  private readonly demandSd: number;
  private readonly marketSd: number;
  private readonly invalidRate: number;
  /** Draws the catalog and ids at construction. */
  private readonly rng: Rng;
  /** Re-seeded per (day, keyword) stream while simulating. */
  private readonly dayRng: Rng = createRng(0);

  constructor(options: MarketplaceOptions) {
    if (!Number.isInteger(options.seed)) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", `seed must be an integer, got ${options.seed}`, {
        field: "seed",
      });
    }
    this.seed = options.seed >>> 0;
    this.rng = createRng(streamSeed(this.seed, 0x5eed, 0));
    this.startDate = options.startDate ?? "2026-01-01";
    this.startDay = epochDay(this.startDate, "startDate");
    const countryCode = options.countryCode ?? "US";
    const info = MARKETPLACES[countryCode];
    if (info === undefined) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", `countryCode ${countryCode} is not a known marketplace`, {
        field: "countryCode",
      });
    }
    this.info = info;
    this.money = CURRENCY_PER_USD[info.currencyCode] ?? 1;
    this.demandSd = options.demandNoiseSd ?? 0.25;
    this.marketSd = options.marketNoiseSd ?? 0.08;
    this.invalidRate = options.invalidClickRate ?? 0.03;
    const usedIds = new Set<string>();
    const profileId = options.profileId ?? this.newId(usedIds);
    this.profile = {
      profileId,
      countryCode,
      currencyCode: info.currencyCode,
      timezone: info.timezone,
      marketplaceStringId: info.marketplaceStringId,
      accountId: `A${this.alnum(13)}`,
      accountName: options.accountName ?? `Simulated seller ${countryCode}`,
    };
    const catalog = options.catalog ?? generateCatalog(this.rng, options.size ?? {}, this.money);
    this.build(catalog, usedIds);
  }

  // ---- calendar ---------------------------------------------------------------------------

  /** Days simulated so far. */
  get dayIndex(): number {
    return this.days.length;
  }

  /** The day the next advanceDay() simulates; reports hold the days before it. */
  get today(): string {
    return dateOf(this.startDay + this.days.length);
  }

  /** Last simulated (complete) day, or undefined before the first advanceDay(). */
  get lastCompleteDate(): string | undefined {
    return this.days.length === 0 ? undefined : dateOf(this.startDay + this.days.length - 1);
  }

  // ---- catalog ----------------------------------------------------------------------------

  campaigns(): readonly Readonly<SimCampaign>[] {
    return this.campaignList;
  }

  adGroups(): readonly Readonly<SimAdGroup>[] {
    return this.adGroupList;
  }

  keywords(): readonly Readonly<SimKeyword>[] {
    return this.keywordList;
  }

  campaign(campaignId: string): Readonly<SimCampaign> | undefined {
    return this.campaignById.get(campaignId);
  }

  adGroup(adGroupId: string): Readonly<SimAdGroup> | undefined {
    return this.adGroupById.get(adGroupId);
  }

  keyword(keywordId: string): Readonly<SimKeyword> | undefined {
    const k = this.keywordIndex.get(keywordId);
    return k === undefined ? undefined : this.keywordList[k];
  }

  /** The bid the keyword enters auctions with: its own, else its ad group's default. */
  effectiveBid(keywordId: string): number {
    const kw = this.requireKeyword(keywordId);
    return kw.bid ?? this.adGroupById.get(kw.adGroupId)!.defaultBid;
  }

  /** The keyword's latent parameters (ground truth, for evaluating an optimizer). */
  truth(keywordId: string): Readonly<KeywordTruth> {
    return { ...this.truths[this.indexOf(keywordId)]! };
  }

  /**
   * Sets the keyword's bid from the next simulated day on; null: back to the ad group's
   * default. Throws BANDITRY_INVALID_PARAMETER outside the marketplace's bid limits.
   */
  setKeywordBid(keywordId: string, bid: number | null): void {
    const kw = this.requireKeyword(keywordId);
    if (bid !== null) {
      const { min, max } = this.info.bidLimits;
      if (typeof bid !== "number" || !Number.isFinite(bid) || bid < min || bid > max) {
        throw new BanditryError(
          "BANDITRY_INVALID_PARAMETER",
          `bid of keyword ${keywordId} must be in ${min}…${max} ${this.info.currencyCode}, got ${bid}`,
          { field: "bid" },
        );
      }
    }
    kw.bid = bid === null ? undefined : bid;
    kw.updatedAt = this.nowMs();
  }

  setKeywordState(keywordId: string, state: EntityState): void {
    const kw = this.requireKeyword(keywordId);
    kw.state = state;
    kw.updatedAt = this.nowMs();
  }

  /** Does the keyword enter auctions (it, its ad group and its campaign all ENABLED)? */
  isServing(keywordId: string): boolean {
    return this.serving(this.requireKeyword(keywordId));
  }

  // ---- simulation -------------------------------------------------------------------------

  /** Simulates `today` with the current bids and states, then moves to the next day. */
  advanceDay(): DaySummary {
    const index = this.days.length;
    const day = this.startDay + index;
    const n = this.keywordList.length;
    const rng = this.dayRng;
    rng.reseed(streamSeed(this.seed, index, MARKET_STREAM));
    const market = WEEKLY_SEASONALITY[dayOfWeek(day)]! * sampleMeanOneLogNormal(rng, this.marketSd);
    const pacing = this.budgetPacing(market);
    const floor = this.info.bidLimits.min;
    const increment = 0.01 * this.money;

    const record: DayRecord = {
      day,
      bid: new Float64Array(n),
      serving: new Uint8Array(n),
      impressions: new Int32Array(n),
      clicks: new Int32Array(n),
      invalidClicks: new Int32Array(n),
      cost: new Float64Array(n),
      invalidCost: new Float64Array(n),
      orderStart: new Int32Array(n + 1),
      orderLag: new Uint8Array(0),
      orderValue: new Float64Array(0),
      orderUnits: new Uint8Array(0),
    };
    const lags: number[] = [];
    const values: number[] = [];
    const units: number[] = [];
    const summary: DaySummary = { date: dateOf(day), impressions: 0, clicks: 0, cost: 0, orders: 0, sales: 0 };
    for (let k = 0; k < n; k++) {
      const kw = this.keywordList[k]!;
      const bid = kw.bid ?? this.adGroupById.get(kw.adGroupId)!.defaultBid;
      record.bid[k] = bid;
      record.orderStart[k] = lags.length;
      if (!this.serving(kw)) continue;
      record.serving[k] = 1;
      const truth = this.truths[k]!;
      rng.reseed(streamSeed(this.seed, index, k));
      // demand first, so the day's luck does not depend on the bid
      const demand = market * sampleMeanOneLogNormal(rng, this.demandSd) * pacing.get(kw.campaignId)!;
      const impressions = samplePoisson(rng, truth.searchVolume * demand * winProbability(bid, truth));
      const clicks = sampleBinomial(rng, impressions, impressionCtr(bid, truth));
      const invalid = sampleBinomial(rng, clicks, this.invalidRate);
      const cpc = expectedCpc(bid, truth, increment, floor);
      const noise = Math.exp((0.1 * sampleStandardNormal(rng)) / Math.sqrt(Math.max(clicks, 1)));
      const cost = cents(Math.min(bid * clicks, clicks * cpc * noise));
      const orders = sampleBinomial(rng, clicks - invalid, truth.cvr);
      for (let o = 0; o < orders; o++) {
        lags.push(sampleLag(rng));
        const value = cents(truth.aov * sampleMeanOneLogNormal(rng, 0.3));
        values.push(value);
        units.push(rng.next() < 0.12 ? 2 : 1);
        summary.sales += value;
      }
      record.impressions[k] = impressions;
      record.clicks[k] = clicks;
      record.invalidClicks[k] = invalid;
      record.cost[k] = cost;
      record.invalidCost[k] = clicks === 0 ? 0 : cents((cost * invalid) / clicks);
      summary.impressions += impressions;
      summary.clicks += clicks - invalid;
      summary.cost += cost - record.invalidCost[k]!;
      summary.orders += orders;
    }
    record.orderStart[n] = lags.length;
    record.orderLag = Uint8Array.from(lags);
    record.orderValue = Float64Array.from(values);
    record.orderUnits = Uint8Array.from(units);
    this.days.push(record);
    summary.cost = cents(summary.cost);
    summary.sales = cents(summary.sales);
    return summary;
  }

  advanceDays(count: number): DaySummary[] {
    const out: DaySummary[] = [];
    for (let i = 0; i < count; i++) out.push(this.advanceDay());
    return out;
  }

  /**
   * The keyword-day as a report made today shows it: clicks not yet settled for the last
   * days, orders only those arrived so far. `final: true` gives the settled, fully
   * attributed figures (ground truth). Undefined for a day not simulated.
   */
  keywordDay(keywordId: string, date: string, options: { final?: boolean } = {}): KeywordDayMetrics | undefined {
    const k = this.indexOf(keywordId);
    const record = this.days[epochDay(date) - this.startDay];
    return record === undefined ? undefined : this.metrics(record, k, options.final ?? false);
  }

  /**
   * Report rows for startDate…endDate (simulated days only), as known today: one per
   * keyword-day with impressions, like Amazon's reports (no rows for days without).
   */
  reportRows(startDate: string, endDate: string): KeywordDayMetrics[] {
    const from = Math.max(epochDay(startDate, "startDate") - this.startDay, 0);
    const to = Math.min(epochDay(endDate, "endDate") - this.startDay, this.days.length - 1);
    const rows: KeywordDayMetrics[] = [];
    for (let i = from; i <= to; i++) {
      const record = this.days[i]!;
      for (let k = 0; k < this.keywordList.length; k++) {
        if (record.impressions[k]! > 0) rows.push(this.metrics(record, k, false));
      }
    }
    return rows;
  }

  /**
   * Expected day of a keyword at `bid` (default: its current bid) on `date` (default: today):
   * seasonality included, noise and budget pacing left out. Ground truth for evaluation.
   */
  expectedDay(keywordId: string, options: { bid?: number; date?: string } = {}): ExpectedOutcome {
    const k = this.indexOf(keywordId);
    const bid = options.bid ?? this.effectiveBid(keywordId);
    const day = options.date === undefined ? this.startDay + this.days.length : epochDay(options.date);
    return expectedOutcome(
      bid,
      this.truths[k]!,
      WEEKLY_SEASONALITY[dayOfWeek(day)]!,
      0.01 * this.money,
      this.info.bidLimits.min,
    );
  }

  // ---- internals --------------------------------------------------------------------------

  private metrics(record: DayRecord, k: number, final: boolean): KeywordDayMetrics {
    const kw = this.keywordList[k]!;
    const age = final ? Number.POSITIVE_INFINITY : this.startDay + this.days.length - 1 - record.day;
    const settled = age >= CLICK_SETTLE_DAYS;
    const a1 = attributed(record, k, 1, age);
    const a7 = attributed(record, k, 7, age);
    const a14 = attributed(record, k, 14, age);
    const a30 = attributed(record, k, 30, age);
    return {
      date: dateOf(record.day),
      campaignId: kw.campaignId,
      adGroupId: kw.adGroupId,
      keywordId: kw.keywordId,
      keywordText: kw.keywordText,
      matchType: kw.matchType,
      bid: record.bid[k]!,
      impressions: record.impressions[k]!,
      clicks: record.clicks[k]! - (settled ? record.invalidClicks[k]! : 0),
      cost: cents(record.cost[k]! - (settled ? record.invalidCost[k]! : 0)),
      purchases1d: a1.orders,
      purchases7d: a7.orders,
      purchases14d: a14.orders,
      purchases30d: a30.orders,
      sales1d: a1.sales,
      sales7d: a7.sales,
      sales14d: a14.sales,
      sales30d: a30.sales,
      unitsSold1d: a1.units,
      unitsSold7d: a7.units,
      unitsSold14d: a14.units,
      unitsSold30d: a30.units,
    };
  }

  /**
   * Share of each campaign's demand it can afford: planned spend (expected, at today's
   * seasonality) against the daily budget. Over budget, ads show for part of the day only.
   */
  private budgetPacing(market: number): Map<string, number> {
    const planned = new Map<string, number>();
    const floor = this.info.bidLimits.min;
    for (let k = 0; k < this.keywordList.length; k++) {
      const kw = this.keywordList[k]!;
      if (!this.serving(kw)) continue;
      const bid = kw.bid ?? this.adGroupById.get(kw.adGroupId)!.defaultBid;
      const e = expectedOutcome(bid, this.truths[k]!, market, 0.01 * this.money, floor);
      planned.set(kw.campaignId, (planned.get(kw.campaignId) ?? 0) + e.cost);
    }
    const pacing = new Map<string, number>();
    for (const c of this.campaignList) {
      const spend = planned.get(c.campaignId) ?? 0;
      pacing.set(c.campaignId, spend > c.dailyBudget ? c.dailyBudget / spend : 1);
    }
    return pacing;
  }

  private serving(kw: SimKeyword): boolean {
    return (
      kw.state === "ENABLED" &&
      this.adGroupById.get(kw.adGroupId)!.state === "ENABLED" &&
      this.campaignById.get(kw.campaignId)!.state === "ENABLED"
    );
  }

  private build(catalog: CatalogSpec, usedIds: Set<string>): void {
    const created = this.nowMs();
    for (const c of catalog.campaigns) {
      const campaign: SimCampaign = {
        campaignId: this.newId(usedIds),
        name: c.name,
        state: c.state ?? "ENABLED",
        dailyBudget: c.dailyBudget,
        startDate: this.startDate,
      };
      this.campaignList.push(campaign);
      this.campaignById.set(campaign.campaignId, campaign);
      for (const g of c.adGroups) {
        const adGroup: SimAdGroup = {
          adGroupId: this.newId(usedIds),
          campaignId: campaign.campaignId,
          name: g.name,
          state: g.state ?? "ENABLED",
          defaultBid: g.defaultBid,
        };
        this.adGroupList.push(adGroup);
        this.adGroupById.set(adGroup.adGroupId, adGroup);
        for (const k of g.keywords) {
          const keyword: SimKeyword = {
            keywordId: this.newId(usedIds),
            adGroupId: adGroup.adGroupId,
            campaignId: campaign.campaignId,
            keywordText: k.text,
            matchType: k.matchType,
            state: k.state ?? "ENABLED",
            bid: k.bid,
            updatedAt: created,
          };
          this.keywordIndex.set(keyword.keywordId, this.keywordList.length);
          this.keywordList.push(keyword);
          this.truths.push({ ...sampleTruth(this.rng, k.matchType, this.money), ...k.truth });
        }
      }
    }
  }

  /** An 18-digit id: beyond 2^53, so any lossy JSON handling shows. */
  private newId(used: Set<string>): string {
    for (;;) {
      let id = String(1 + this.rng.nextInt(8));
      for (let i = 0; i < 17; i++) id += String(this.rng.nextInt(10));
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  }

  private alnum(length: number): string {
    const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let s = "";
    for (let i = 0; i < length; i++) s += chars[this.rng.nextInt(chars.length)];
    return s;
  }

  /** Epoch ms of the simulated today (timestamps of changes). */
  private nowMs(): number {
    return (this.startDay + this.days.length) * 86_400_000;
  }

  private indexOf(keywordId: string): number {
    const k = this.keywordIndex.get(keywordId);
    if (k === undefined) {
      throw new BanditryError("BANDITRY_NOT_FOUND", `keyword ${keywordId} is not in this marketplace`, {
        field: "keywordId",
      });
    }
    return k;
  }

  private requireKeyword(keywordId: string): SimKeyword {
    return this.keywordList[this.indexOf(keywordId)]!;
  }
}

function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

import { BanditryError } from "../../domain/errors.js";
import { createRng, type Rng } from "../../stats/rng.js";
import { AdsTransport, type AdsTransportEvent } from "./ads-transport.js";
import { AmazonAdsError } from "./amazon-ads-error.js";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.js";
import { type Clock, systemClock } from "./clock.js";
import { idString } from "./exact-json.js";
import { LwaTokenProvider } from "./lwa-token-provider.js";
import type { AdsRegion } from "./marketplaces.js";
import { collect, flatten } from "./paginate.js";
import type { AdsProfile } from "./profile-types.js";
import { REGION_ENDPOINTS } from "./regions.js";
import type { CreateReportRequest, KeywordDayRow, ReportInfo, ReportRow } from "./report-types.js";
import {
  type CreatedReport,
  createReport,
  downloadReport,
  getReport,
  keywordReportRequest,
  type ReportPollOptions,
  toKeywordDayRows,
  waitForReport,
} from "./reporting.js";
import { type KeywordUpdateOptions, type KeywordUpdateResult, updateKeywords } from "./sp-keyword-update.js";
import { spListPages } from "./sp-list.js";
import type {
  AdGroupListFilter,
  CampaignListFilter,
  KeywordListFilter,
  KeywordUpdate,
  SpAdGroup,
  SpCampaign,
  SpKeyword,
} from "./sp-types.js";
import { RateLimiters, type TokenBucketOptions } from "./token-bucket.js";

export interface AmazonAdsClientOptions {
  /** Login with Amazon application credentials and the advertiser's refresh token. */
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Region of the documented default hosts (default NA). */
  region?: AdsRegion;
  /** Override the region's API base URL (tests: the local server). */
  apiBaseUrl?: string;
  /** Override the region's LWA token URL. */
  tokenUrl?: string;
  /** Defaults to global fetch. */
  fetch?: typeof fetch;
  /** Defaults to the system clock. */
  clock?: Clock;
  /** Draws the retry jitter; defaults to a generator seeded from the clock. */
  rng?: Rng;
  backoff?: BackoffOptions;
  /** Client-side limit per profile (default 2/s, burst 4); false: none. */
  rateLimit?: TokenBucketOptions | false;
  /** Share limiters between clients of the same account (overrides rateLimit). */
  rateLimiters?: RateLimiters;
  /** Refresh the access token this long before it expires (default 60 s). */
  tokenRefreshSkewMs?: number;
  /** Per-request timeout (default 60 s). */
  requestTimeoutMs?: number;
  userAgent?: string;
  /** Retries and 401s, for logs and metrics. */
  onEvent?: (event: AdsTransportEvent) => void;
  /** Defaults for waitForReport. */
  reportPolling?: ReportPollOptions;
}

export const DEFAULT_RATE_LIMIT: TokenBucketOptions = { ratePerSecond: 2, burst: 4 };

/**
 * Amazon Ads API client: profiles, Sponsored Products v3 campaigns / ad groups / keywords,
 * keyword bid updates, Reporting v3. Each method is a thin call into one small module
 * (sp-list, sp-keyword-update, reporting); the transport does auth, limits and retries.
 */
export class AmazonAdsClient {
  readonly tokens: LwaTokenProvider;
  readonly transport: AdsTransport;
  private readonly clock: Clock;
  private readonly polling: ReportPollOptions;

  constructor(options: AmazonAdsClientOptions) {
    for (const field of ["clientId", "clientSecret", "refreshToken"] as const) {
      if (typeof options[field] !== "string" || options[field] === "") {
        throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be a non-empty string`, { field });
      }
    }
    const endpoints = REGION_ENDPOINTS[options.region ?? "NA"];
    if (endpoints === undefined) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", `region must be NA, EU or FE, got ${options.region}`, {
        field: "region",
      });
    }
    this.clock = options.clock ?? systemClock;
    const rng = options.rng ?? createRng(this.clock.now() >>> 0);
    const fetchFn = options.fetch ?? globalThis.fetch;
    const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    const limit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    const limiters = options.rateLimiters ?? (limit === false ? undefined : new RateLimiters(limit, this.clock));
    const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.polling = options.reportPolling ?? {};
    this.tokens = new LwaTokenProvider({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      refreshToken: options.refreshToken,
      tokenUrl: options.tokenUrl ?? endpoints.tokenUrl,
      fetch: fetchFn,
      clock: this.clock,
      rng,
      backoff,
      requestTimeoutMs,
      ...(options.tokenRefreshSkewMs === undefined ? {} : { refreshSkewMs: options.tokenRefreshSkewMs }),
    });
    this.transport = new AdsTransport({
      apiBaseUrl: options.apiBaseUrl ?? endpoints.apiBaseUrl,
      clientId: options.clientId,
      tokens: this.tokens,
      fetch: fetchFn,
      clock: this.clock,
      rng,
      backoff,
      limiters,
      requestTimeoutMs,
      userAgent: options.userAgent ?? "banditry/0.1 (amazon-ads connector)",
      onEvent: options.onEvent,
    });
  }

  /** GET /v2/profiles; profileId as its exact decimal string. */
  async listProfiles(): Promise<AdsProfile[]> {
    const response = await this.transport.call({ method: "GET", path: "/v2/profiles" });
    if (!Array.isArray(response.body)) {
      throw new AmazonAdsError("BANDITRY_AMAZON_ADS_BAD_RESPONSE", "GET /v2/profiles answered without an array", {
        httpStatus: response.status,
        body: response.body,
        operation: "GET /v2/profiles",
      });
    }
    return response.body.map((p: Record<string, unknown>) => ({
      ...(p as unknown as AdsProfile),
      profileId: idString(p["profileId"], "profileId"),
    }));
  }

  /** Pages of POST /sp/campaigns/list (nextToken followed lazily). */
  campaignPages(profileId: string, filter: CampaignListFilter = {}): AsyncGenerator<SpCampaign[]> {
    return spListPages(this.transport, profileId, "campaigns", filter);
  }

  iterateCampaigns(profileId: string, filter: CampaignListFilter = {}): AsyncGenerator<SpCampaign> {
    return flatten(this.campaignPages(profileId, filter));
  }

  listCampaigns(profileId: string, filter: CampaignListFilter = {}): Promise<SpCampaign[]> {
    return collect(this.iterateCampaigns(profileId, filter));
  }

  adGroupPages(profileId: string, filter: AdGroupListFilter = {}): AsyncGenerator<SpAdGroup[]> {
    return spListPages(this.transport, profileId, "adGroups", filter);
  }

  iterateAdGroups(profileId: string, filter: AdGroupListFilter = {}): AsyncGenerator<SpAdGroup> {
    return flatten(this.adGroupPages(profileId, filter));
  }

  listAdGroups(profileId: string, filter: AdGroupListFilter = {}): Promise<SpAdGroup[]> {
    return collect(this.iterateAdGroups(profileId, filter));
  }

  keywordPages(profileId: string, filter: KeywordListFilter = {}): AsyncGenerator<SpKeyword[]> {
    return spListPages(this.transport, profileId, "keywords", filter);
  }

  iterateKeywords(profileId: string, filter: KeywordListFilter = {}): AsyncGenerator<SpKeyword> {
    return flatten(this.keywordPages(profileId, filter));
  }

  listKeywords(profileId: string, filter: KeywordListFilter = {}): Promise<SpKeyword[]> {
    return collect(this.iterateKeywords(profileId, filter));
  }

  /** PUT /sp/keywords in chunks of ≤ 1000; every item's outcome (207) in the caller's order. */
  updateKeywords(
    profileId: string,
    updates: readonly KeywordUpdate[],
    options?: KeywordUpdateOptions,
  ): Promise<KeywordUpdateResult> {
    return updateKeywords(this.transport, profileId, updates, options);
  }

  /** POST /reporting/reports; a 425 duplicate hands back the id of the report in progress. */
  createReport(profileId: string, request: CreateReportRequest): Promise<CreatedReport> {
    return createReport(this.transport, profileId, request);
  }

  getReport(profileId: string, reportId: string): Promise<ReportInfo> {
    return getReport(this.transport, profileId, reportId);
  }

  waitForReport(profileId: string, reportId: string, options?: ReportPollOptions): Promise<ReportInfo> {
    return waitForReport(this.transport, this.clock, profileId, reportId, { ...this.polling, ...options });
  }

  downloadReport(profileId: string, report: ReportInfo): Promise<ReportRow[]> {
    return downloadReport(this.transport, profileId, report);
  }

  /** Create (or join a duplicate), wait, download: the rows of one report. */
  async runReport(profileId: string, request: CreateReportRequest, options?: ReportPollOptions): Promise<ReportRow[]> {
    const { reportId } = await this.createReport(profileId, request);
    const report = await this.waitForReport(profileId, reportId, options);
    return this.downloadReport(profileId, report);
  }

  /**
   * Daily keyword rows (spTargeting, keyword types BROAD/PHRASE/EXACT) for startDate…endDate
   * (≤ 31 days). Sales of recent days are not final: attribution runs up to 14 days.
   */
  async keywordReport(
    profileId: string,
    range: { startDate: string; endDate: string; columns?: readonly string[] },
    options?: ReportPollOptions,
  ): Promise<KeywordDayRow[]> {
    return toKeywordDayRows(await this.runReport(profileId, keywordReportRequest(range), options));
  }
}

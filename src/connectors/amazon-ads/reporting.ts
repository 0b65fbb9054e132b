import { BanditryError } from "../../domain/errors.js";
import type { AdsTransport } from "./ads-transport.js";
import { AmazonAdsError } from "./amazon-ads-error.js";
import type { Clock } from "./clock.js";
import { idString, parseJsonExact } from "./exact-json.js";
import { MEDIA_TYPES } from "./media-types.js";
import type { CreateReportRequest, KeywordDayRow, ReportInfo, ReportRow } from "./report-types.js";

/** A report covers at most 31 days. */
export const MAX_REPORT_DAYS = 31;

/** Columns that hold ids: JSON numbers in report files, exact strings once read. */
const ID_COLUMNS = new Set(["campaignId", "adGroupId", "keywordId", "portfolioId", "adId", "targetId"]);

/** The client's default spTargeting columns for keyword rows. */
export const KEYWORD_REPORT_COLUMNS = [
  "date",
  "campaignId",
  "adGroupId",
  "keywordId",
  "keyword",
  "matchType",
  "keywordBid",
  "impressions",
  "clicks",
  "cost",
  "purchases1d",
  "purchases7d",
  "purchases14d",
  "sales1d",
  "sales7d",
  "sales14d",
  "unitsSoldClicks14d",
] as const;

export interface CreatedReport {
  reportId: string;
  /** True when Amazon answered 425: the same report was already being made, this is its id. */
  duplicate: boolean;
}

export interface ReportPollOptions {
  /** First wait between status checks (default 5 s); grows by `factor` up to maxIntervalMs. */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  factor?: number;
  /** Give up after this long (default 3 h, the documented worst case). */
  timeoutMs?: number;
}

const DEFAULT_POLL: Required<ReportPollOptions> = {
  initialIntervalMs: 5_000,
  maxIntervalMs: 60_000,
  factor: 1.5,
  timeoutMs: 3 * 3600_000,
};

/**
 * POST /reporting/reports. A 425 means an identical report is in progress: its id, named in
 * the error detail, is used instead of failing.
 */
export async function createReport(
  transport: AdsTransport,
  profileId: string,
  request: CreateReportRequest,
): Promise<CreatedReport> {
  checkDateRange(request.startDate, request.endDate);
  const operation = "POST /reporting/reports";
  const response = await transport.call({
    method: "POST",
    path: "/reporting/reports",
    profileId,
    mediaType: MEDIA_TYPES.createReport,
    body: request,
    passStatuses: [425],
  });
  const body = response.body as Record<string, unknown> | undefined;
  if (response.status === 425) {
    const detail = String(body?.["detail"] ?? body?.["message"] ?? "");
    const match = /duplicate of\s*:?\s*([A-Za-z0-9-]+)/i.exec(detail) ?? /([0-9a-f]{8}-[0-9a-f-]{27,})/i.exec(detail);
    if (match === null) {
      throw new AmazonAdsError("BANDITRY_AMAZON_ADS_REJECTED", `${operation} answered 425 without a report id`, {
        httpStatus: 425,
        body,
        operation,
      });
    }
    return { reportId: match[1]!, duplicate: true };
  }
  if (typeof body?.["reportId"] !== "string") {
    throw new AmazonAdsError("BANDITRY_AMAZON_ADS_BAD_RESPONSE", `${operation} answered without reportId`, {
      httpStatus: response.status,
      body,
      operation,
    });
  }
  return { reportId: body["reportId"], duplicate: false };
}

/** GET /reporting/reports/{reportId}. */
export async function getReport(transport: AdsTransport, profileId: string, reportId: string): Promise<ReportInfo> {
  const path = `/reporting/reports/${encodeURIComponent(reportId)}`;
  const response = await transport.call({ method: "GET", path, profileId, mediaType: MEDIA_TYPES.createReport });
  const body = response.body as ReportInfo | undefined;
  if (typeof body?.reportId !== "string" || typeof body.status !== "string") {
    throw new AmazonAdsError("BANDITRY_AMAZON_ADS_BAD_RESPONSE", `GET ${path} answered without reportId/status`, {
      httpStatus: response.status,
      body,
      operation: `GET ${path}`,
    });
  }
  return body;
}

/**
 * Polls until the report is COMPLETED (returned) or FAILED (BANDITRY_AMAZON_ADS_REPORT_FAILED),
 * waiting longer between checks as it goes; BANDITRY_AMAZON_ADS_REPORT_TIMEOUT past timeoutMs.
 */
export async function waitForReport(
  transport: AdsTransport,
  clock: Clock,
  profileId: string,
  reportId: string,
  options: ReportPollOptions = {},
): Promise<ReportInfo> {
  const o = { ...DEFAULT_POLL, ...options };
  const deadline = clock.now() + o.timeoutMs;
  let interval = o.initialIntervalMs;
  for (;;) {
    const report = await getReport(transport, profileId, reportId);
    if (report.status === "COMPLETED") return report;
    if (report.status === "FAILED") {
      throw new AmazonAdsError(
        "BANDITRY_AMAZON_ADS_REPORT_FAILED",
        `report ${reportId} failed: ${report.failureReason ?? "no reason given"}`,
        { body: report, operation: `GET /reporting/reports/${reportId}` },
      );
    }
    const now = clock.now();
    if (now >= deadline) {
      throw new AmazonAdsError(
        "BANDITRY_AMAZON_ADS_REPORT_TIMEOUT",
        `report ${reportId} still ${report.status} after ${o.timeoutMs} ms`,
        { body: report, operation: `GET /reporting/reports/${reportId}` },
      );
    }
    await clock.sleep(Math.min(interval, deadline - now));
    interval = Math.min(o.maxIntervalMs, interval * o.factor);
  }
}

/**
 * Rows of a COMPLETED report: downloads the pre-signed URL, gunzips, parses with ids exact.
 * The link expires after about an hour: on a 403 the report is fetched again for a fresh
 * link, once.
 */
export async function downloadReport(
  transport: AdsTransport,
  profileId: string,
  report: ReportInfo,
): Promise<ReportRow[]> {
  if (report.status !== "COMPLETED" || report.url === null) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `report ${report.reportId} is ${report.status}, not COMPLETED with a url`,
      { field: "report.status" },
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await transport.download(report.url);
  } catch (error) {
    if (!(error instanceof AmazonAdsError) || error.httpStatus !== 403) throw error;
    const fresh = await getReport(transport, profileId, report.reportId);
    if (fresh.url === null) throw error;
    bytes = await transport.download(fresh.url);
  }
  const text = new TextDecoder().decode(bytes);
  let rows: unknown;
  try {
    rows = parseJsonExact(text);
  } catch (cause) {
    throw new AmazonAdsError("BANDITRY_AMAZON_ADS_BAD_RESPONSE", `report ${report.reportId} file is not JSON`, {
      cause,
    });
  }
  if (!Array.isArray(rows)) {
    throw new AmazonAdsError("BANDITRY_AMAZON_ADS_BAD_RESPONSE", `report ${report.reportId} file is not a JSON array`);
  }
  return rows.map((row) => normalizeRow(row as Record<string, unknown>));
}

/** An spTargeting request for keyword rows (the v3 way: there is no spKeywords report). */
export function keywordReportRequest(options: {
  startDate: string;
  endDate: string;
  columns?: readonly string[];
  name?: string;
  matchTypes?: readonly ("BROAD" | "PHRASE" | "EXACT")[];
}): CreateReportRequest {
  return {
    name: options.name ?? `banditry keywords ${options.startDate}..${options.endDate}`,
    startDate: options.startDate,
    endDate: options.endDate,
    configuration: {
      adProduct: "SPONSORED_PRODUCTS",
      reportTypeId: "spTargeting",
      groupBy: ["targeting"],
      columns: [...(options.columns ?? KEYWORD_REPORT_COLUMNS)],
      filters: [{ field: "keywordType", values: [...(options.matchTypes ?? ["BROAD", "PHRASE", "EXACT"])] }],
      timeUnit: "DAILY",
      format: "GZIP_JSON",
    },
  };
}

/** Row with id columns as exact strings and everything else untouched. */
function normalizeRow(row: Record<string, unknown>): ReportRow {
  const out: ReportRow = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] =
      ID_COLUMNS.has(key) && value !== null && value !== undefined
        ? idString(value, key)
        : (value as string | number | boolean | null);
  }
  return out;
}

/** Keyword rows typed (in place); a metric the file leaves out or nulls (no activity) reads as 0. */
export function toKeywordDayRows(rows: ReportRow[]): KeywordDayRow[] {
  for (const r of rows) {
    for (const c of KEYWORD_REPORT_COLUMNS) {
      if (!TEXT_COLUMNS.has(c) && (r[c] === undefined || r[c] === null)) r[c] = 0;
    }
  }
  return rows as KeywordDayRow[];
}

const TEXT_COLUMNS = new Set(["date", "campaignId", "adGroupId", "keywordId", "keyword", "matchType"]);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkDateRange(startDate: string, endDate: string): void {
  for (const [field, value] of [
    ["startDate", startDate],
    ["endDate", endDate],
  ] as const) {
    if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be YYYY-MM-DD, got ${value}`, { field });
    }
  }
  const days = (Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${startDate}T00:00:00Z`)) / 86_400_000 + 1;
  if (days < 1 || days > MAX_REPORT_DAYS) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `a report covers 1…${MAX_REPORT_DAYS} days, got ${startDate}..${endDate} (${days} days)`,
      { field: "endDate" },
    );
  }
}

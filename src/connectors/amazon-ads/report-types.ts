/** Reporting v3 shapes (asynchronous reports). */
export type ReportStatus = "PENDING" | "PROCESSING" | "COMPLETED" | "FAILED";

export interface ReportConfiguration {
  adProduct: "SPONSORED_PRODUCTS";
  reportTypeId: string;
  groupBy: string[];
  columns: string[];
  filters?: { field: string; values: string[] }[];
  timeUnit: "DAILY" | "SUMMARY";
  format: "GZIP_JSON";
}

/** Body of POST /reporting/reports. Dates are YYYY-MM-DD, at most 31 days apart. */
export interface CreateReportRequest {
  name?: string;
  startDate: string;
  endDate: string;
  configuration: ReportConfiguration;
}

/** What POST and GET /reporting/reports answer. */
export interface ReportInfo {
  reportId: string;
  status: ReportStatus;
  name?: string | null;
  startDate: string;
  endDate: string;
  configuration: ReportConfiguration;
  createdAt: string;
  updatedAt: string;
  generatedAt: string | null;
  /** Pre-signed URL of the gzipped JSON rows, once COMPLETED; expires (urlExpiresAt). */
  url: string | null;
  urlExpiresAt: string | null;
  fileSize: number | null;
  failureReason: string | null;
}

/** One report row: flat columns; id columns are exact decimal strings after the client read them. */
export type ReportRow = Record<string, string | number | boolean | null>;

/**
 * One keyword-day row of an spTargeting report (keywords only, DAILY) with the client's
 * default columns. Attributed purchases/sales keep changing for up to 14 days after the day.
 */
export interface KeywordDayRow {
  date: string;
  campaignId: string;
  adGroupId: string;
  keywordId: string;
  keyword: string;
  matchType: string;
  /** The keyword's bid on that day. */
  keywordBid: number;
  impressions: number;
  clicks: number;
  cost: number;
  purchases1d: number;
  purchases7d: number;
  purchases14d: number;
  sales1d: number;
  sales7d: number;
  sales14d: number;
  unitsSoldClicks14d: number;
  [column: string]: string | number | boolean | null;
}

import { randomUUID } from "node:crypto";
import type { CreateReportRequest, ReportStatus } from "../../../connectors/amazon-ads/report-types.js";

export interface StoredReport {
  reportId: string;
  profileId: string;
  request: CreateReportRequest;
  /** Identity of the request, for 425 duplicate detection. */
  key: string;
  createdAt: number;
  /** PENDING until this time, then PROCESSING. */
  processingAt: number;
  /** PROCESSING until this time, then COMPLETED (or FAILED with failureReason). */
  readyAt: number;
  failureReason: string | undefined;
  /** Gzipped JSON rows (made when the report is created: the data as of that moment). */
  file: Buffer;
}

/** Reports of the local server and their asynchronous life on its clock. */
export class ReportStore {
  private readonly reports = new Map<string, StoredReport>();

  constructor(private readonly now: () => number) {}

  create(
    profileId: string,
    request: CreateReportRequest,
    key: string,
    file: Buffer,
    timing: { delayMs: number; failureReason?: string },
  ): StoredReport {
    const createdAt = this.now();
    const report: StoredReport = {
      reportId: randomUUID(),
      profileId,
      request,
      key,
      createdAt,
      processingAt: createdAt + timing.delayMs / 3,
      readyAt: createdAt + timing.delayMs,
      failureReason: timing.failureReason,
      file,
    };
    this.reports.set(report.reportId, report);
    return report;
  }

  get(reportId: string): StoredReport | undefined {
    return this.reports.get(reportId);
  }

  status(r: StoredReport): ReportStatus {
    const now = this.now();
    if (now < r.processingAt) return "PENDING";
    if (now < r.readyAt) return "PROCESSING";
    return r.failureReason === undefined ? "COMPLETED" : "FAILED";
  }

  /** A report of the same profile and request still being made, if any. */
  inProgress(profileId: string, key: string): StoredReport | undefined {
    for (const r of this.reports.values()) {
      if (r.profileId === profileId && r.key === key && this.now() < r.readyAt) return r;
    }
    return undefined;
  }
}

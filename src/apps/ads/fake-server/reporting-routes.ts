import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { MEDIA_TYPES } from "../../../connectors/amazon-ads/media-types.js";
import type { CreateReportRequest } from "../../../connectors/amazon-ads/report-types.js";
import { epochDay } from "../marketplace/calendar.js";
import type { Marketplace } from "../marketplace/marketplace.js";
import { sendApiError } from "./api-errors.js";
import type { FakeContext } from "./fake-context.js";
import { canonicalJson } from "./page-token.js";
import { reportJson, reportRow, SP_TARGETING_COLUMNS, summarize } from "./report-columns.js";
import type { StoredReport } from "./report-store.js";
import { guard } from "./request-guard.js";
import { sendBody } from "./send-body.js";

const MAX_DAYS = 31;
const RETENTION_DAYS = 95;
const LINK_TTL_SECONDS = 3600;
const KEYWORD_TYPES = ["BROAD", "PHRASE", "EXACT", "TARGETING_EXPRESSION", "TARGETING_EXPRESSION_PREDEFINED"];
const KEYWORD_STATES = ["ENABLED", "PAUSED", "ARCHIVED"];

export interface ReportingOptions {
  /** Time from creation to COMPLETED (a third of it PENDING, the rest PROCESSING). */
  reportDelayMs: number;
}

/** What the request asks that the spTargeting report cannot give, or undefined. */
function invalidReason(m: Marketplace, req: CreateReportRequest): string | undefined {
  const c = req.configuration;
  if (c.adProduct !== "SPONSORED_PRODUCTS") return `adProduct ${c.adProduct} is not served by this account`;
  if (c.reportTypeId !== "spTargeting") return `reportTypeId ${c.reportTypeId} is not supported (use spTargeting)`;
  if (c.groupBy.length !== 1 || c.groupBy[0] !== "targeting") {
    return `groupBy ${JSON.stringify(c.groupBy)} is not valid for spTargeting (use ["targeting"])`;
  }
  const unknown = c.columns.filter((col) => !Object.hasOwn(SP_TARGETING_COLUMNS, col));
  if (unknown.length > 0) return `configuration columns contains invalid values: ${unknown.join(", ")}`;
  if (c.timeUnit === "DAILY" && (c.columns.includes("startDate") || c.columns.includes("endDate"))) {
    return "columns startDate and endDate are only valid with timeUnit SUMMARY (use date)";
  }
  if (c.timeUnit === "SUMMARY" && c.columns.includes("date")) return "column date is only valid with timeUnit DAILY";
  for (const f of c.filters ?? []) {
    const allowed =
      f.field === "keywordType" ? KEYWORD_TYPES : f.field === "adKeywordStatus" ? KEYWORD_STATES : undefined;
    if (allowed === undefined) return `filter field ${f.field} is not valid for spTargeting`;
    const bad = f.values.filter((v) => !allowed.includes(v));
    if (bad.length > 0) return `filter ${f.field} has invalid values: ${bad.join(", ")}`;
  }
  const start = epochDay(req.startDate);
  const end = epochDay(req.endDate);
  if (end < start) return `endDate ${req.endDate} is before startDate ${req.startDate}`;
  if (end - start + 1 > MAX_DAYS) return `The date range is ${end - start + 1} days; at most ${MAX_DAYS} are allowed`;
  if (start < epochDay(m.today) - RETENTION_DAYS) {
    return `startDate ${req.startDate} is older than the ${RETENTION_DAYS} days of retained data`;
  }
  return undefined;
}

/** The report's rows as of now, gzipped. */
function reportFile(m: Marketplace, req: CreateReportRequest): Buffer {
  const c = req.configuration;
  const types = c.filters?.find((f) => f.field === "keywordType")?.values;
  const states = c.filters?.find((f) => f.field === "adKeywordStatus")?.values;
  let rows = m
    .reportRows(req.startDate, req.endDate)
    .filter(
      (r) =>
        (types === undefined || types.includes(r.matchType)) &&
        (states === undefined || states.includes(m.keyword(r.keywordId)!.state)),
    );
  const range = c.timeUnit === "SUMMARY" ? { startDate: req.startDate, endDate: req.endDate } : undefined;
  if (range !== undefined) rows = summarize(rows);
  return gzipSync(reportJson(rows.map((r) => reportRow(r, m, c.columns, range))), { level: 1 });
}

/**
 * Reporting v3: POST /reporting/reports (425 for a duplicate in progress), GET
 * /reporting/reports/{reportId} (PENDING → PROCESSING → COMPLETED on the server clock, or
 * FAILED), and the pre-signed download link the completed report points at, served here
 * like S3 would: signature and expiry checked, no Amazon headers wanted.
 */
export function registerReportingRoutes(app: FastifyInstance, ctx: FakeContext, options: ReportingOptions): void {
  const secret = randomBytes(32);
  const sign = (reportId: string, expires: number) =>
    createHmac("sha256", secret).update(`${reportId}\n${expires}`).digest("base64url");
  const iso = (ms: number) => new Date(ms).toISOString();

  const view = (r: StoredReport, request: FastifyRequest) => {
    const status = ctx.reports.status(r);
    const done = status === "COMPLETED" || status === "FAILED";
    let url: string | null = null;
    let urlExpiresAt: string | null = null;
    if (status === "COMPLETED") {
      const expires = Math.floor(ctx.now() / 1000) + LINK_TTL_SECONDS;
      const base = ctx.publicBaseUrl ?? `${request.protocol}://${request.headers.host}`;
      url = `${base}/download/reports/${r.reportId}.json.gz?X-Amz-Expires=${expires}&X-Amz-Signature=${sign(r.reportId, expires)}`;
      urlExpiresAt = iso(expires * 1000);
    }
    return {
      reportId: r.reportId,
      name: r.request.name ?? null,
      status,
      startDate: r.request.startDate,
      endDate: r.request.endDate,
      configuration: r.request.configuration,
      createdAt: iso(r.createdAt),
      updatedAt: iso(done ? r.readyAt : status === "PROCESSING" ? r.processingAt : r.createdAt),
      generatedAt: status === "COMPLETED" ? iso(r.readyAt) : null,
      url,
      urlExpiresAt,
      fileSize: status === "COMPLETED" ? r.file.length : null,
      failureReason: status === "FAILED" ? (r.failureReason ?? null) : null,
    };
  };

  app.post("/reporting/reports", async (request, reply) => {
    const g = guard(ctx, request, reply, { family: "reporting", mediaType: MEDIA_TYPES.createReport, scoped: true });
    if (!g.ok) return reply;
    const errors = ctx.validator.named("createReportRequest", g.body);
    if (errors.length > 0) return sendApiError(reply, "reporting", 400, `Invalid request: ${errors.join("; ")}`);
    const m = g.marketplace!;
    const req = g.body as CreateReportRequest;
    const reason = invalidReason(m, req);
    if (reason !== undefined) return sendApiError(reply, "reporting", 400, reason);

    const key = canonicalJson(req);
    const duplicateOf = (id: string) => sendApiError(reply, "reporting", 425, `The Request is a duplicate of : ${id}`);
    const running = ctx.reports.inProgress(m.profile.profileId, key);
    if (running !== undefined) return duplicateOf(running.reportId);

    const fault = ctx.faults.takeSpecific("POST /reporting/reports", [
      "failReport",
      "slowReport",
      "duplicateReport",
    ] as const);
    const timing = {
      delayMs: fault?.kind === "slowReport" ? fault.delayMs : options.reportDelayMs,
      ...(fault?.kind === "failReport" ? { failureReason: fault.reason ?? "Report generation failed" } : {}),
    };
    const report = ctx.reports.create(m.profile.profileId, req, key, reportFile(m, req), timing);
    // as if another process had asked for the same report a moment ago
    if (fault?.kind === "duplicateReport") return duplicateOf(report.reportId);
    return sendBody(reply, 200, "application/json", JSON.stringify(view(report, request)));
  });

  app.get("/reporting/reports/:reportId", async (request, reply) => {
    const g = guard(ctx, request, reply, { family: "reporting", scoped: true });
    if (!g.ok) return reply;
    const { reportId } = request.params as { reportId: string };
    const report = ctx.reports.get(reportId);
    if (report === undefined || report.profileId !== g.marketplace!.profile.profileId) {
      return sendApiError(reply, "reporting", 404, `Report ${reportId} not found`);
    }
    return sendBody(reply, 200, "application/json", JSON.stringify(view(report, request)));
  });

  app.get("/download/reports/:file", async (request, reply) => {
    if (request.headers.authorization !== undefined) {
      return sendApiError(
        reply,
        "download",
        400,
        "Only one auth mechanism allowed; only the X-Amz-Signature query parameter is accepted",
      );
    }
    const { file } = request.params as { file: string };
    const query = request.query as Record<string, string | undefined>;
    const reportId = file.replace(/\.json\.gz$/, "");
    const report = ctx.reports.get(reportId);
    const expires = Number(query["X-Amz-Expires"]);
    const given = Buffer.from(query["X-Amz-Signature"] ?? "");
    const wanted = Buffer.from(sign(reportId, expires));
    if (report === undefined || given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      return sendApiError(
        reply,
        "download",
        403,
        "The request signature we calculated does not match the signature you provided",
      );
    }
    if (ctx.now() / 1000 > expires) return sendApiError(reply, "download", 403, "Request has expired");
    return reply.code(200).header("content-type", "application/octet-stream").send(report.file);
  });
}

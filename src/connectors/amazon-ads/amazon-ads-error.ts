import { BanditryError, type ErrorCode } from "../../domain/errors.js";

export interface AmazonAdsErrorDetails {
  /** HTTP status Amazon answered with (absent for network failures). */
  httpStatus?: number;
  /** Amazon's error code from the body: "THROTTLED", "INVALID_ARGUMENT", "invalid_grant", "425", … */
  apiCode?: string;
  /** The parsed error body, as Amazon sent it. */
  body?: unknown;
  /** "METHOD /path" of the failed call. */
  operation?: string;
  cause?: unknown;
}

/** A failed Amazon Ads call: a registry code for banditry, plus what Amazon said. */
export class AmazonAdsError extends BanditryError {
  readonly httpStatus: number | undefined;
  readonly apiCode: string | undefined;
  readonly body: unknown;
  readonly operation: string | undefined;

  constructor(code: ErrorCode, message: string, details: AmazonAdsErrorDetails = {}) {
    super(code, message, details.cause === undefined ? {} : { cause: details.cause });
    this.name = "AmazonAdsError";
    this.httpStatus = details.httpStatus;
    this.apiCode = details.apiCode;
    this.body = details.body;
    this.operation = details.operation;
  }
}

/** The error code in an Amazon error body, whichever of its shapes (SP v3, v2, reporting, LWA). */
export function apiErrorCode(body: unknown): string | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const b = body as Record<string, unknown>;
  const code = b["code"] ?? b["error"];
  return typeof code === "string" ? code : typeof code === "number" ? String(code) : undefined;
}

/** The human message in an Amazon error body, whichever of its shapes. */
export function apiErrorMessage(body: unknown): string | undefined {
  if (body === null || typeof body !== "object") return typeof body === "string" && body !== "" ? body : undefined;
  const b = body as Record<string, unknown>;
  for (const key of ["message", "detail", "details", "error_description"]) {
    if (typeof b[key] === "string") return b[key] as string;
  }
  return undefined;
}

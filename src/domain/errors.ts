/**
 * The one error registry. Every error banditry raises on purpose has a stable code,
 * an HTTP status and a message that names the offending field or value.
 * New codes are added here and nowhere else.
 */
export const ERRORS = {
  // parameters of the statistics core
  BANDITRY_INVALID_PARAMETER: { status: 400, title: "Invalid parameter" },
  BANDITRY_INVALID_REWARD: { status: 400, title: "Invalid reward value" },
  BANDITRY_K_EXCEEDS_ARMS: { status: 400, title: "k exceeds the number of arms" },
  BANDITRY_NO_ACTIVE_ARMS: { status: 409, title: "No active arms" },
  BANDITRY_UNKNOWN_POLICY: { status: 400, title: "Unknown policy" },
  BANDITRY_POSTERIOR_MISMATCH: { status: 400, title: "Posteriors of different kinds or priors" },
  // request validation
  BANDITRY_VALIDATION: { status: 400, title: "Validation failed" },
  BANDITRY_UNAUTHORIZED: { status: 401, title: "Missing or invalid API key" },
  BANDITRY_FORBIDDEN: { status: 403, title: "API key lacks the required scope" },
  BANDITRY_NOT_FOUND: { status: 404, title: "Not found" },
  BANDITRY_EXPERIMENT_NOT_FOUND: { status: 404, title: "Unknown experiment" },
  BANDITRY_ARM_NOT_FOUND: { status: 404, title: "Unknown arm" },
  BANDITRY_EVENT_NOT_FOUND: { status: 404, title: "Unknown event" },
  BANDITRY_EVALUATION_NOT_FOUND: { status: 404, title: "Unknown evaluation" },
  BANDITRY_EXPERIMENT_EXISTS: { status: 409, title: "Experiment id already exists" },
  BANDITRY_ARM_EXISTS: { status: 409, title: "Arm id already exists" },
  BANDITRY_EVENT_EXISTS: { status: 409, title: "Event id already used" },
  BANDITRY_REWARD_EXISTS: { status: 409, title: "Reward already recorded for this event" },
  BANDITRY_EXPERIMENT_ARCHIVED: { status: 409, title: "Experiment is archived" },
  BANDITRY_NOT_LINEAR: { status: 409, title: "Experiment has no linear model (context is not linear)" },
  BANDITRY_PAYLOAD_TOO_LARGE: { status: 413, title: "Request body too large" },
  BANDITRY_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  BANDITRY_RATE_LIMITED: { status: 429, title: "Too many requests" },
  BANDITRY_UNAVAILABLE: { status: 503, title: "Service unavailable" },
  BANDITRY_INTERNAL: { status: 500, title: "Internal error" },
  // Amazon Ads connector (an upstream failure, hence 502/503/504)
  BANDITRY_AMAZON_ADS_AUTH: { status: 502, title: "Amazon Ads authorization failed" },
  BANDITRY_AMAZON_ADS_REJECTED: { status: 502, title: "Amazon Ads rejected the request" },
  BANDITRY_AMAZON_ADS_UNAVAILABLE: { status: 503, title: "Amazon Ads unavailable after retries" },
  BANDITRY_AMAZON_ADS_BAD_RESPONSE: { status: 502, title: "Amazon Ads answered with an unexpected body" },
  BANDITRY_AMAZON_ADS_REPORT_FAILED: { status: 502, title: "Amazon Ads report failed" },
  BANDITRY_AMAZON_ADS_REPORT_TIMEOUT: { status: 504, title: "Amazon Ads report not ready in time" },
  // Sponsored Products bid optimizer service
  BANDITRY_ADS_NOT_CONFIGURED: { status: 503, title: "Amazon Ads credentials are not configured" },
  BANDITRY_ADS_CONFLICT: { status: 409, title: "Conflicts with the ads plan or schedule's state" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class BanditryError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BanditryError";
    this.code = code;
    this.status = ERRORS[code].status;
    this.field = options.field;
  }

  toJSON(): { code: ErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export function isBanditryError(e: unknown): e is BanditryError {
  return e instanceof BanditryError;
}

/** Throws BANDITRY_INVALID_PARAMETER unless value is a finite number (> 0 when positive). */
export function requireFinite(
  field: string,
  value: number,
  opts: { positive?: boolean; min?: number; max?: number } = {},
): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be a finite number, got ${String(value)}`, {
      field,
    });
  }
  if (opts.positive && !(value > 0)) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be > 0, got ${value}`, { field });
  }
  if (opts.min !== undefined && value < opts.min) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be >= ${opts.min}, got ${value}`, { field });
  }
  if (opts.max !== undefined && value > opts.max) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be <= ${opts.max}, got ${value}`, { field });
  }
  return value;
}

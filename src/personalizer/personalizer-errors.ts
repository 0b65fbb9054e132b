import { isBanditryError } from "../domain/errors.js";

/**
 * Personalizer's error codes (the official clients' PersonalizerError.code) and the one table
 * that maps banditry's error codes to them. "request" stands for the bad-request code of the
 * route that failed (InvalidRankRequest on rank, InvalidRewardRequest on reward, …).
 */
export type PersonalizerErrorCode =
  | "BadRequest"
  | "InvalidServiceConfiguration"
  | "InvalidPolicyConfiguration"
  | "InvalidPolicyContract"
  | "InvalidEvaluationContract"
  | "InvalidRewardRequest"
  | "InvalidEventIdToActivate"
  | "InvalidRankRequest"
  | "InvalidRequest"
  | "PayloadSizeExceeded"
  | "ResourceNotFound"
  | "EvaluationNotFound"
  | "LogsPropertiesNotFound"
  | "OperationNotAllowed"
  | "Unauthorized"
  | "InvalidApiAccess"
  | "UnsupportedMediaType"
  | "TooManyRequests"
  | "ServiceUnavailable"
  | "NotImplemented"
  | "InternalServerError";

export interface PersonalizerErrorBody {
  error: {
    code: PersonalizerErrorCode;
    message: string;
    target?: string;
    details?: PersonalizerErrorBody["error"][];
    innerError?: { code?: string };
  };
}

type Mapping = { status: number; code: PersonalizerErrorCode | "request" };

/**
 * banditry code → Personalizer status and code. Keyed by string, not ErrorCode: codes other
 * parts add later fall back by their HTTP status (personalizerErrorReply) until listed here.
 */
export const PERSONALIZER_ERRORS: Readonly<Record<string, Mapping>> = {
  BANDITRY_VALIDATION: { status: 400, code: "request" },
  BANDITRY_INVALID_PARAMETER: { status: 400, code: "request" },
  BANDITRY_INVALID_REWARD: { status: 400, code: "InvalidRewardRequest" },
  BANDITRY_K_EXCEEDS_ARMS: { status: 400, code: "request" },
  BANDITRY_NO_ACTIVE_ARMS: { status: 400, code: "request" },
  BANDITRY_UNKNOWN_POLICY: { status: 400, code: "InvalidPolicyConfiguration" },
  BANDITRY_POSTERIOR_MISMATCH: { status: 400, code: "InvalidPolicyConfiguration" },
  BANDITRY_NOT_LINEAR: { status: 400, code: "OperationNotAllowed" },
  BANDITRY_UNAUTHORIZED: { status: 401, code: "Unauthorized" },
  BANDITRY_FORBIDDEN: { status: 403, code: "InvalidApiAccess" },
  BANDITRY_NOT_FOUND: { status: 404, code: "ResourceNotFound" },
  BANDITRY_EXPERIMENT_NOT_FOUND: { status: 404, code: "ResourceNotFound" },
  BANDITRY_ARM_NOT_FOUND: { status: 404, code: "ResourceNotFound" },
  BANDITRY_EVENT_NOT_FOUND: { status: 404, code: "request" },
  BANDITRY_EVALUATION_NOT_FOUND: { status: 404, code: "EvaluationNotFound" },
  BANDITRY_EXPERIMENT_EXISTS: { status: 409, code: "OperationNotAllowed" },
  BANDITRY_ARM_EXISTS: { status: 409, code: "request" },
  BANDITRY_EVENT_EXISTS: { status: 409, code: "request" },
  BANDITRY_REWARD_EXISTS: { status: 409, code: "InvalidRewardRequest" },
  BANDITRY_EXPERIMENT_ARCHIVED: { status: 409, code: "OperationNotAllowed" },
  BANDITRY_PAYLOAD_TOO_LARGE: { status: 413, code: "PayloadSizeExceeded" },
  BANDITRY_UNSUPPORTED_MEDIA_TYPE: { status: 415, code: "UnsupportedMediaType" },
  BANDITRY_RATE_LIMITED: { status: 429, code: "TooManyRequests" },
  BANDITRY_UNAVAILABLE: { status: 503, code: "ServiceUnavailable" },
  BANDITRY_INTERNAL: { status: 500, code: "InternalServerError" },
};

/** Fastify's own client errors (body parsing), by their code. */
const FASTIFY_ERRORS: Readonly<Record<string, Mapping & { message: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "PayloadSizeExceeded", message: "the request body is too large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: "UnsupportedMediaType",
    message: "the request body must be JSON (Content-Type: application/json)",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "request", message: "the request body is not valid JSON" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: "request", message: "the request body is empty" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: "request",
    message: "Content-Length does not match the request body",
  },
};

function byStatus(status: number): PersonalizerErrorCode | "request" {
  if (status === 401) return "Unauthorized";
  if (status === 403) return "InvalidApiAccess";
  if (status === 404) return "ResourceNotFound";
  if (status === 413) return "PayloadSizeExceeded";
  if (status === 415) return "UnsupportedMediaType";
  if (status === 429) return "TooManyRequests";
  if (status === 501) return "NotImplemented";
  if (status === 503) return "ServiceUnavailable";
  return status >= 500 ? "InternalServerError" : "request";
}

export function personalizerErrorBody(
  code: PersonalizerErrorCode,
  message: string,
  target?: string,
  innerCode?: string,
): PersonalizerErrorBody {
  const error: PersonalizerErrorBody["error"] = { code, message };
  if (target !== undefined) error.target = target;
  if (innerCode !== undefined) error.innerError = { code: innerCode };
  return { error };
}

/**
 * Any error as Personalizer's status and body. `requestCode` is the route's bad-request code.
 * A 5xx never shows internals; the banditry code stays visible as innerError.code.
 */
export function personalizerErrorReply(
  error: unknown,
  requestCode: PersonalizerErrorCode,
): { status: number; body: PersonalizerErrorBody; internal: boolean } {
  if (isBanditryError(error)) {
    const m = PERSONALIZER_ERRORS[error.code] ?? { status: error.status, code: byStatus(error.status) };
    const code = m.code === "request" ? requestCode : m.code;
    const internal = m.status >= 500 && m.status !== 503;
    const message = internal ? "internal error; the server log has the details" : error.message;
    return { status: m.status, body: personalizerErrorBody(code, message, error.field, error.code), internal };
  }
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; validation?: unknown };
  const known = typeof e.code === "string" ? FASTIFY_ERRORS[e.code] : undefined;
  if (known !== undefined) {
    const code = known.code === "request" ? requestCode : known.code;
    return { status: known.status, body: personalizerErrorBody(code, known.message), internal: false };
  }
  const status = typeof e.statusCode === "number" ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const mapped = byStatus(status);
    const message = typeof e.message === "string" ? e.message : "bad request";
    return {
      status,
      body: personalizerErrorBody(mapped === "request" ? requestCode : mapped, message),
      internal: false,
    };
  }
  return {
    status: 500,
    body: personalizerErrorBody("InternalServerError", "internal error; the server log has the details"),
    internal: true,
  };
}

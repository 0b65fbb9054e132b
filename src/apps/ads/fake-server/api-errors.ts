import type { FastifyReply } from "fastify";
import { sendBody } from "./send-body.js";

/** The error dialects of the Amazon Ads APIs the local server speaks. */
export type ApiFamily = "sp" | "v2" | "reporting" | "lwa" | "download";

/** Which dialect a request path speaks. */
export function familyOf(path: string): ApiFamily {
  if (path.startsWith("/auth/")) return "lwa";
  if (path.startsWith("/v2/")) return "v2";
  if (path.startsWith("/reporting/")) return "reporting";
  if (path.startsWith("/download/")) return "download";
  return "sp";
}

const SP_CODES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHORIZED",
  403: "ACCESS_DENIED",
  404: "NOT_FOUND",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "THROTTLED",
};

const LWA_CODES: Record<number, string> = {
  400: "invalid_request",
  401: "invalid_client",
  429: "temporarily_unavailable",
};

const S3_CODES: Record<number, string> = { 400: "InvalidArgument", 403: "AccessDenied", 404: "NoSuchKey" };

/**
 * Sends an error the way the API family does: SP v3 {code, message}, v2 {code, details},
 * Reporting {code: "<status>", detail}, LWA {error, error_description}, S3 XML.
 */
export function sendApiError(
  reply: FastifyReply,
  family: ApiFamily,
  status: number,
  message: string,
  extra: { retryAfterSeconds?: number | null; lwaError?: string; errors?: unknown[] } = {},
): FastifyReply {
  if (status === 429 && extra.retryAfterSeconds !== undefined && extra.retryAfterSeconds !== null) {
    reply.header("retry-after", String(extra.retryAfterSeconds));
  }
  switch (family) {
    case "sp": {
      const code = SP_CODES[status] ?? (status >= 500 ? "INTERNAL_ERROR" : "INVALID_ARGUMENT");
      return sendBody(
        reply,
        status,
        "application/json",
        JSON.stringify(extra.errors === undefined ? { code, message } : { code, message, errors: extra.errors }),
      );
    }
    case "v2": {
      const code = SP_CODES[status] ?? (status >= 500 ? "INTERNAL_ERROR" : "INVALID_ARGUMENT");
      return sendBody(reply, status, "application/json", JSON.stringify({ code, details: message }));
    }
    case "reporting":
      return sendBody(reply, status, "application/json", JSON.stringify({ code: String(status), detail: message }));
    case "lwa": {
      const error = extra.lwaError ?? LWA_CODES[status] ?? "server_error";
      return sendBody(reply, status, "application/json", JSON.stringify({ error, error_description: message }));
    }
    case "download": {
      const code = S3_CODES[status] ?? "InternalError";
      return sendBody(
        reply,
        status,
        "application/xml",
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
      );
    }
  }
}

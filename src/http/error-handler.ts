import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type ErrorCode, isBanditryError } from "../domain/errors.js";
import type { Metrics } from "./metrics.js";
import { type AjvErrorLike, describeAjvError } from "./validation-message.js";

/** The one error body of the API. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; requestId?: string };
}

function body(code: ErrorCode, message: string, field?: string): ErrorBody {
  return field === undefined ? { error: { code, message } } : { error: { code, message, field } };
}

/** Fastify's own errors carry a code and a status; these are the ones a client can cause. */
const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "BANDITRY_PAYLOAD_TOO_LARGE", message: "request body is too large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: "BANDITRY_UNSUPPORTED_MEDIA_TYPE",
    message: "request body must be JSON (Content-Type: application/json)",
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "BANDITRY_VALIDATION", message: "request body is not valid JSON" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "BANDITRY_VALIDATION", message: "request body is empty" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: "BANDITRY_VALIDATION",
    message: "Content-Length does not match the request body",
  },
  FST_ERR_BAD_URL: { code: "BANDITRY_VALIDATION", message: "the URL is malformed" },
  FST_ERR_MAX_PARAM_LENGTH: { code: "BANDITRY_NOT_FOUND", message: "a path parameter is too long" },
};

function byStatus(status: number): ErrorCode {
  if (status === 401) return "BANDITRY_UNAUTHORIZED";
  if (status === 403) return "BANDITRY_FORBIDDEN";
  if (status === 404) return "BANDITRY_NOT_FOUND";
  if (status === 413) return "BANDITRY_PAYLOAD_TOO_LARGE";
  if (status === 415) return "BANDITRY_UNSUPPORTED_MEDIA_TYPE";
  if (status === 429) return "BANDITRY_RATE_LIMITED";
  if (status === 503) return "BANDITRY_UNAVAILABLE";
  return "BANDITRY_VALIDATION";
}

/** Maps any error to a status and the API's error body. Never exposes internals of a 5xx. */
export function toErrorReply(error: unknown, request: FastifyRequest): { status: number; body: ErrorBody } {
  if (isBanditryError(error)) {
    const b = body(error.code, error.message, error.field);
    if (error.status >= 500) b.error.requestId = request.id;
    return { status: error.status, body: b };
  }
  const e = error as Partial<FastifyError> & { validationContext?: string };
  if (Array.isArray(e.validation) && e.validation.length > 0) {
    const context = e.validationContext ?? "body";
    const data = context === "body" ? request.body : context === "params" ? request.params : request.query;
    const { field, message } = describeAjvError(e.validation[0] as AjvErrorLike, context, data);
    return { status: 400, body: body("BANDITRY_VALIDATION", message, field) };
  }
  const known = typeof e.code === "string" ? FASTIFY_CODES[e.code] : undefined;
  if (known !== undefined) {
    const status = e.code === "FST_ERR_MAX_PARAM_LENGTH" ? 404 : (e.statusCode ?? 400);
    const field = known.code === "BANDITRY_VALIDATION" && e.code !== "FST_ERR_BAD_URL" ? "body" : undefined;
    return { status, body: body(known.code, known.message, field) };
  }
  // Other client errors Fastify raises (4xx) are safe to describe; 503 while closing.
  const status = typeof e.statusCode === "number" ? e.statusCode : 500;
  if ((status >= 400 && status < 500) || status === 503) {
    return { status, body: body(byStatus(status), typeof e.message === "string" ? e.message : "bad request") };
  }
  const b = body("BANDITRY_INTERNAL", "internal error; the server log has the details");
  b.error.requestId = request.id;
  return { status: 500, body: b };
}

export function installErrorHandling(app: FastifyInstance, metrics: Pick<Metrics, "observeRequest">): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toErrorReply(error, request);
    if (status >= 500 && status !== 503) request.log.error({ err: error, reqId: request.id }, "request failed");
    else request.log.debug({ code: body.error.code, message: body.error.message }, "request refused");
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?")[0] ?? request.url;
    const message = `no route ${request.method} ${path.length > 200 ? path.slice(0, 200) + "…" : path}`;
    metrics.observeRequest(request.method, "unmatched", 404, reply.elapsedTime / 1000);
    return reply.code(404).send(body("BANDITRY_NOT_FOUND", message));
  });
}

/** For Fastify's `frameworkErrors` option (bad URL encoding, over-long path parameters). */
export function frameworkErrorHandler(
  metrics: Pick<Metrics, "observeRequest">,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const { status, body } = toErrorReply(error, request);
    metrics.observeRequest(request.method, "unmatched", status, reply.elapsedTime / 1000);
    void reply.code(status).send(body);
  };
}

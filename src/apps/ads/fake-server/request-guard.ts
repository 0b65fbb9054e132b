import type { FastifyReply, FastifyRequest } from "fastify";
import type { Marketplace } from "../marketplace/marketplace.js";
import { type ApiFamily, sendApiError } from "./api-errors.js";
import type { FakeContext } from "./fake-context.js";

export interface GuardOptions {
  family: Exclude<ApiFamily, "lwa" | "download">;
  /** Vendor media type the request body must carry and Accept must allow. */
  mediaType?: string;
  /** Whether Amazon-Advertising-API-Scope must name a profile (all but /v2/profiles). */
  scoped: boolean;
}

export type Guarded = { ok: true; marketplace: Marketplace | undefined; body: unknown } | { ok: false };

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The media type without parameters, lower-cased. */
function baseType(value: string | undefined): string | undefined {
  return value?.split(";")[0]?.trim().toLowerCase();
}

/**
 * What every Ads API call goes through, in Amazon's order: bearer token issued by our LWA
 * and not expired, ClientId of that token, Scope naming a profile the token may see, the
 * vendor media type in Content-Type (415 otherwise) and Accept, a JSON body.
 */
export function guard(ctx: FakeContext, request: FastifyRequest, reply: FastifyReply, opts: GuardOptions): Guarded {
  const fail = (status: number, message: string): Guarded => {
    sendApiError(reply, opts.family, status, message);
    return { ok: false };
  };
  const auth = header(request, "authorization");
  const token = auth?.startsWith("Bearer ") ? auth.slice(7).trim() : undefined;
  const clientId = header(request, "amazon-advertising-api-clientid");
  switch (ctx.tokens.check(token, clientId)) {
    case "missing":
      return fail(401, "Authorization header with a Bearer access token is required");
    case "unknown":
      return fail(401, "Invalid access token");
    case "expired":
      return fail(401, "Access token has expired");
    case "wrong-client":
      return fail(401, `Amazon-Advertising-API-ClientId ${clientId ?? "(missing)"} does not match the access token`);
    case "ok":
      break;
  }

  let marketplace: Marketplace | undefined;
  if (opts.scoped) {
    const scope = header(request, "amazon-advertising-api-scope");
    if (scope === undefined || scope === "") return fail(400, "Amazon-Advertising-API-Scope header is required");
    marketplace = ctx.profiles.get(scope);
    if (marketplace === undefined) return fail(403, `Not authorized to access profile ${scope}`);
  }

  let body: unknown;
  if (opts.mediaType !== undefined) {
    const expected = opts.mediaType.toLowerCase();
    const hasBody = request.method === "POST" || request.method === "PUT";
    if (hasBody && baseType(header(request, "content-type")) !== expected) {
      return fail(415, `Content-Type must be ${opts.mediaType}, got ${header(request, "content-type") ?? "none"}`);
    }
    const accept = header(request, "accept");
    if (accept !== undefined && accept !== "") {
      const types = accept.split(",").map(baseType);
      if (!types.includes(expected) && !types.includes("*/*")) {
        return fail(415, `Accept must allow ${opts.mediaType}, got ${accept}`);
      }
    }
    if (hasBody) {
      const text = typeof request.body === "string" ? request.body : "";
      try {
        body = text === "" ? {} : JSON.parse(text);
      } catch {
        return fail(400, "Request body is not valid JSON");
      }
    }
  }
  return { ok: true, marketplace, body };
}

import type { FastifyRequest, onRequestHookHandler } from "fastify";
import type { KeyService } from "../auth/key-service.js";
import { BanditryError } from "../domain/errors.js";
import type { ApiKeyRecord, Scope } from "../stores/stores.js";
import "./route-config.js";

export interface RouteAuth {
  /** The scope a key needs (admin always passes). */
  scope: Scope;
  /** The route names an experiment in params.id: keys bound to another experiment are refused. */
  experimentParam?: boolean;
  /** Keys bound to an experiment may not use the route at all (key management). */
  unboundOnly?: boolean;
}

function unauthorized(message: string): BanditryError {
  return new BanditryError("BANDITRY_UNAUTHORIZED", message, { field: "authorization" });
}

/** null when the key may use the route, else the error to answer with. */
function refusal(key: ApiKeyRecord | null, auth: RouteAuth, request: FastifyRequest): BanditryError | null {
  if (key === null) return unauthorized("the API key is unknown or revoked");
  if (!key.scopes.includes("admin") && !key.scopes.includes(auth.scope)) {
    return new BanditryError(
      "BANDITRY_FORBIDDEN",
      `this route needs scope "${auth.scope}"; the key has ${key.scopes.map((s) => `"${s}"`).join(", ")}`,
    );
  }
  if (key.experimentId !== null) {
    if (auth.unboundOnly) {
      return new BanditryError(
        "BANDITRY_FORBIDDEN",
        `a key bound to experiment "${key.experimentId}" cannot use this route`,
      );
    }
    const id = auth.experimentParam ? (request.params as { id?: string }).id : undefined;
    if (id !== undefined && id !== key.experimentId) {
      return new BanditryError(
        "BANDITRY_FORBIDDEN",
        `the key is bound to experiment "${key.experimentId}", not "${id}"`,
        {
          field: "id",
        },
      );
    }
  }
  return null;
}

/**
 * The onRequest hook of one guarded route: `Authorization: Bearer <key>`. A cached key is
 * checked synchronously; only a cache miss touches the key store.
 */
export function createAuthHook(keys: KeyService, auth: RouteAuth): onRequestHookHandler {
  return function authenticate(request, _reply, done) {
    const header = request.headers.authorization;
    if (header === undefined || header === "") {
      return done(unauthorized("missing Authorization header; send Authorization: Bearer <key>"));
    }
    if (header.length < 8 || header.slice(0, 7).toLowerCase() !== "bearer ") {
      return done(unauthorized("the Authorization header must be: Bearer <key>"));
    }
    const secret = header.slice(7).trim();
    const cached = keys.peek(secret);
    if (cached !== undefined) {
      request.apiKey = cached;
      return done(refusal(cached, auth, request) ?? undefined);
    }
    keys.verify(secret).then(
      (key) => {
        request.apiKey = key;
        done(refusal(key, auth, request) ?? undefined);
      },
      (e: unknown) => done(e as Error),
    );
  };
}

import type { onRequestHookHandler } from "fastify";
import type { KeyService } from "../../auth/key-service.js";
import { BanditryError } from "../../domain/errors.js";
import type { ApiKeyRecord, Scope } from "../../stores/stores.js";
import "../route-config.js";

function unauthorized(message: string): BanditryError {
  return new BanditryError("BANDITRY_UNAUTHORIZED", message, { field: "Ocp-Apim-Subscription-Key" });
}

/** The key's secret: Ocp-Apim-Subscription-Key (Personalizer's header) or Authorization: Bearer. */
function secretOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const apim = headers["ocp-apim-subscription-key"];
  if (typeof apim === "string" && apim !== "") return apim.trim();
  const auth = headers.authorization;
  if (typeof auth === "string" && auth.length > 7 && auth.slice(0, 7).toLowerCase() === "bearer ") {
    return auth.slice(7).trim();
  }
  return undefined;
}

function refusal(key: ApiKeyRecord | null, scope: Scope): BanditryError | null {
  if (key === null) {
    return unauthorized("access denied: the subscription key is unknown or revoked");
  }
  if (key.experimentId === null) {
    return new BanditryError(
      "BANDITRY_FORBIDDEN",
      "this key is not bound to a loop: create one with `banditry loops create <id>` or POST /v1/loops",
    );
  }
  if (!key.scopes.includes("admin") && !key.scopes.includes(scope)) {
    return new BanditryError(
      "BANDITRY_FORBIDDEN",
      `this operation needs scope "${scope}"; the key has ${key.scopes.map((s) => `"${s}"`).join(", ")}`,
    );
  }
  return null;
}

/**
 * The onRequest hook of one Personalizer route: the key selects the loop (its bound
 * experiment). A cached key is checked synchronously; only a cache miss touches the store.
 */
export function personalizerAuth(keys: KeyService, scope: Scope): onRequestHookHandler {
  return function authenticate(request, _reply, done) {
    const secret = secretOf(request.headers);
    if (secret === undefined) {
      return done(unauthorized("access denied: send the key in the Ocp-Apim-Subscription-Key header"));
    }
    const cached = keys.peek(secret);
    if (cached !== undefined) {
      request.apiKey = cached;
      return done(refusal(cached, scope) ?? undefined);
    }
    keys.verify(secret).then(
      (key) => {
        request.apiKey = key;
        done(refusal(key, scope) ?? undefined);
      },
      (e: unknown) => done(e as Error),
    );
  };
}

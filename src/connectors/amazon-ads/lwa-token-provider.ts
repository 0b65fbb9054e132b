import type { Rng } from "../../stats/rng.js";
import { AmazonAdsError, apiErrorCode, apiErrorMessage } from "./amazon-ads-error.js";
import { type BackoffOptions, backoffDelayMs, parseRetryAfterMs } from "./backoff.js";
import type { Clock } from "./clock.js";
import { parseJsonExact } from "./exact-json.js";
import { MEDIA_TYPES } from "./media-types.js";

export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export interface LwaTokenProviderOptions extends LwaCredentials {
  tokenUrl: string;
  fetch: typeof fetch;
  clock: Clock;
  rng: Rng;
  backoff: Required<BackoffOptions>;
  /** Refresh this long before the access token expires (default 60 s). */
  refreshSkewMs?: number;
  /** Per-request timeout (default 30 s). */
  requestTimeoutMs?: number;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

/**
 * Login with Amazon refresh-token grant. Caches the access token and refreshes it before it
 * expires; concurrent callers share one refresh. invalidate() (after a 401) drops the token
 * the caller used, unless a newer one already replaced it.
 */
export class LwaTokenProvider {
  private token: CachedToken | undefined;
  private inflight: Promise<CachedToken> | undefined;
  private refreshToken: string;
  private readonly skewMs: number;
  /** Access tokens obtained so far (observability, tests). */
  refreshCount = 0;

  constructor(private readonly options: LwaTokenProviderOptions) {
    this.refreshToken = options.refreshToken;
    this.skewMs = options.refreshSkewMs ?? 60_000;
  }

  /** A valid access token, from cache or a fresh refresh. */
  async accessToken(): Promise<string> {
    const t = this.token;
    if (t !== undefined && this.options.clock.now() < t.expiresAt - this.skewMs) return t.accessToken;
    return (await this.refresh()).accessToken;
  }

  /** Forget `accessToken` (the server refused it) so the next call refreshes. */
  invalidate(accessToken: string): void {
    if (this.token?.accessToken === accessToken) this.token = undefined;
  }

  private refresh(): Promise<CachedToken> {
    this.inflight ??= this.requestToken().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async requestToken(): Promise<CachedToken> {
    const { clock, backoff } = this.options;
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: this.refreshToken,
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    });
    for (let retry = 0; ; retry++) {
      let response: Response;
      const startedAt = clock.now();
      try {
        response = await this.options.fetch(this.options.tokenUrl, {
          method: "POST",
          headers: { "content-type": MEDIA_TYPES.form, accept: MEDIA_TYPES.json },
          body: form.toString(),
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
        });
      } catch (cause) {
        if (retry >= backoff.maxRetries) {
          throw new AmazonAdsError("BANDITRY_AMAZON_ADS_UNAVAILABLE", `token endpoint unreachable: ${String(cause)}`, {
            operation: "POST token",
            cause,
          });
        }
        await clock.sleep(backoffDelayMs(retry, backoff, this.options.rng.next()));
        continue;
      }
      const text = await response.text();
      let body: unknown;
      try {
        body = text === "" ? undefined : parseJsonExact(text);
      } catch {
        body = text;
      }
      if (response.ok) return this.accept(body, startedAt);
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && retry < backoff.maxRetries) {
        const retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after"), clock.now());
        if (retryAfterMs === undefined || retryAfterMs <= backoff.maxRetryAfterMs) {
          await clock.sleep(backoffDelayMs(retry, backoff, this.options.rng.next(), retryAfterMs));
          continue;
        }
      }
      throw new AmazonAdsError(
        retryable ? "BANDITRY_AMAZON_ADS_UNAVAILABLE" : "BANDITRY_AMAZON_ADS_AUTH",
        `token refresh failed with HTTP ${response.status}: ${apiErrorCode(body) ?? "?"} ${apiErrorMessage(body) ?? ""}`.trim(),
        { httpStatus: response.status, apiCode: apiErrorCode(body), body, operation: "POST token" },
      );
    }
  }

  private accept(body: unknown, startedAt: number): CachedToken {
    const b = (body ?? {}) as Record<string, unknown>;
    const accessToken = b["access_token"];
    const expiresIn = b["expires_in"];
    if (typeof accessToken !== "string" || accessToken === "" || typeof expiresIn !== "number" || !(expiresIn > 0)) {
      throw new AmazonAdsError(
        "BANDITRY_AMAZON_ADS_BAD_RESPONSE",
        `token endpoint answered without access_token/expires_in: ${JSON.stringify(body)?.slice(0, 200)}`,
        { body, operation: "POST token" },
      );
    }
    // LWA may rotate the refresh token; keep the newest one.
    if (typeof b["refresh_token"] === "string" && b["refresh_token"] !== "") this.refreshToken = b["refresh_token"];
    this.refreshCount++;
    // expires_in counts from when the server issued it: measure from before the request.
    this.token = { accessToken, expiresAt: startedAt + expiresIn * 1000 };
    return this.token;
  }
}

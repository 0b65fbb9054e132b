import { gunzipSync } from "node:zlib";
import type { Rng } from "../../stats/rng.js";
import { AmazonAdsError, apiErrorCode, apiErrorMessage } from "./amazon-ads-error.js";
import { type BackoffOptions, backoffDelayMs, parseRetryAfterMs } from "./backoff.js";
import type { Clock } from "./clock.js";
import { parseJsonExact } from "./exact-json.js";
import type { LwaTokenProvider } from "./lwa-token-provider.js";
import type { RateLimiters } from "./token-bucket.js";

export interface AdsCall {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path under the API base URL, e.g. "/sp/keywords/list". */
  path: string;
  /** Sent as Amazon-Advertising-API-Scope and used as the rate-limiter key. */
  profileId?: string;
  /** Vendor media type for Content-Type (with a body) and Accept; default application/json. */
  mediaType?: string;
  /** JSON body (serialised with JSON.stringify). */
  body?: unknown;
  /** Extra headers (e.g. Prefer). */
  headers?: Record<string, string>;
  /** Non-2xx statuses handed back instead of thrown (e.g. 425 for a duplicate report). */
  passStatuses?: readonly number[];
}

export interface AdsResponse {
  status: number;
  headers: Headers;
  /** Parsed with parseJsonExact (64-bit integers kept exact); undefined for an empty body. */
  body: unknown;
}

/** What the transport did, for logs and metrics. */
export type AdsTransportEvent =
  | { type: "retry"; operation: string; httpStatus: number | undefined; retry: number; delayMs: number }
  | { type: "unauthorized"; operation: string };

export interface AdsTransportOptions {
  apiBaseUrl: string;
  clientId: string;
  tokens: LwaTokenProvider;
  fetch: typeof fetch;
  clock: Clock;
  rng: Rng;
  backoff: Required<BackoffOptions>;
  /** Per-profile rate limiters; none = no client-side limiting. */
  limiters: RateLimiters | undefined;
  requestTimeoutMs: number;
  userAgent: string;
  onEvent: ((event: AdsTransportEvent) => void) | undefined;
}

/**
 * Every Amazon Ads call goes through here: the three headers, the shared per-profile rate
 * limiter, one token refresh on a 401, bounded backoff with jitter on 429 / 5xx / network
 * failures (a Retry-After is honoured, and pauses the whole profile), no retry of other 4xx.
 * The calls we make are idempotent (lists, PUT of absolute bids, report creation whose
 * duplicate answers 425), so a retry after an unclear failure is safe.
 */
export class AdsTransport {
  private readonly baseUrl: string;

  constructor(private readonly options: AdsTransportOptions) {
    this.baseUrl = options.apiBaseUrl.replace(/\/+$/, "");
  }

  async call(call: AdsCall): Promise<AdsResponse> {
    const { clock, backoff, tokens } = this.options;
    const operation = `${call.method} ${call.path}`;
    const bucket = this.options.limiters?.bucket(call.profileId ?? "");
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    let refreshed = false;
    for (let retry = 0; ; ) {
      await bucket?.acquire();
      const accessToken = await tokens.accessToken();
      const headers: Record<string, string> = {
        authorization: `Bearer ${accessToken}`,
        "amazon-advertising-api-clientid": this.options.clientId,
        accept: call.mediaType ?? "application/json",
        "user-agent": this.options.userAgent,
        ...call.headers,
      };
      if (call.profileId !== undefined) headers["amazon-advertising-api-scope"] = call.profileId;
      if (payload !== undefined) headers["content-type"] = call.mediaType ?? "application/json";

      let response: Response;
      try {
        response = await this.options.fetch(this.baseUrl + call.path, {
          method: call.method,
          headers,
          ...(payload === undefined ? {} : { body: payload }),
          signal: AbortSignal.timeout(this.options.requestTimeoutMs),
        });
      } catch (cause) {
        if (retry >= backoff.maxRetries) {
          throw new AmazonAdsError(
            "BANDITRY_AMAZON_ADS_UNAVAILABLE",
            `${operation} failed after ${retry + 1} attempts: ${String(cause)}`,
            { operation, cause },
          );
        }
        await this.pause(operation, undefined, retry++, undefined);
        continue;
      }
      const body = await readBody(response, operation);
      const status = response.status;
      if (response.ok || call.passStatuses?.includes(status)) return { status, headers: response.headers, body };

      if (status === 401 && !refreshed) {
        // The token may have expired or been revoked early: refresh once, then try again.
        refreshed = true;
        tokens.invalidate(accessToken);
        this.options.onEvent?.({ type: "unauthorized", operation });
        continue;
      }
      if (status === 429 || status >= 500) {
        const retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after"), clock.now());
        if (status === 429 && retryAfterMs !== undefined) bucket?.pauseUntil(clock.now() + retryAfterMs);
        const waitable = retryAfterMs === undefined || retryAfterMs <= backoff.maxRetryAfterMs;
        if (retry < backoff.maxRetries && waitable) {
          await this.pause(operation, status, retry++, retryAfterMs);
          continue;
        }
        throw failure("BANDITRY_AMAZON_ADS_UNAVAILABLE", operation, status, body, retry + 1);
      }
      throw failure(
        status === 401 ? "BANDITRY_AMAZON_ADS_AUTH" : "BANDITRY_AMAZON_ADS_REJECTED",
        operation,
        status,
        body,
        1,
      );
    }
  }

  /**
   * GET of a pre-signed report URL: no Amazon headers (the signature is in the URL; S3
   * refuses a second auth mechanism), 5xx / 429 / network failures retried.
   * Gzip is undone here when the bytes carry its magic number.
   */
  async download(url: string): Promise<Uint8Array> {
    const { backoff } = this.options;
    const operation = "GET report file";
    for (let retry = 0; ; ) {
      let response: Response;
      try {
        response = await this.options.fetch(url, { signal: AbortSignal.timeout(this.options.requestTimeoutMs) });
      } catch (cause) {
        if (retry >= backoff.maxRetries) {
          throw new AmazonAdsError("BANDITRY_AMAZON_ADS_UNAVAILABLE", `${operation} failed: ${String(cause)}`, {
            operation,
            cause,
          });
        }
        await this.pause(operation, undefined, retry++, undefined);
        continue;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (response.ok) return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
      const text = new TextDecoder().decode(bytes);
      if ((response.status === 429 || response.status >= 500) && retry < backoff.maxRetries) {
        await this.pause(operation, response.status, retry++, undefined);
        continue;
      }
      throw new AmazonAdsError(
        response.status === 429 || response.status >= 500
          ? "BANDITRY_AMAZON_ADS_UNAVAILABLE"
          : "BANDITRY_AMAZON_ADS_REJECTED",
        `${operation} answered HTTP ${response.status}: ${text.slice(0, 200)}`,
        { httpStatus: response.status, body: text, operation },
      );
    }
  }

  private async pause(
    operation: string,
    httpStatus: number | undefined,
    retry: number,
    retryAfterMs: number | undefined,
  ): Promise<void> {
    const delayMs = backoffDelayMs(retry, this.options.backoff, this.options.rng.next(), retryAfterMs);
    this.options.onEvent?.({ type: "retry", operation, httpStatus, retry, delayMs });
    await this.options.clock.sleep(delayMs);
  }
}

async function readBody(response: Response, operation: string): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return parseJsonExact(text);
  } catch (cause) {
    if (!response.ok) return text;
    throw new AmazonAdsError(
      "BANDITRY_AMAZON_ADS_BAD_RESPONSE",
      `${operation} answered HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      { httpStatus: response.status, body: text, operation, cause },
    );
  }
}

function failure(
  code: "BANDITRY_AMAZON_ADS_UNAVAILABLE" | "BANDITRY_AMAZON_ADS_AUTH" | "BANDITRY_AMAZON_ADS_REJECTED",
  operation: string,
  httpStatus: number,
  body: unknown,
  attempts: number,
): AmazonAdsError {
  const apiCode = apiErrorCode(body);
  const message = apiErrorMessage(body);
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  return new AmazonAdsError(
    code,
    `${operation} answered HTTP ${httpStatus}${tries}${apiCode === undefined ? "" : ` ${apiCode}`}${message === undefined ? "" : `: ${message}`}`,
    { httpStatus, apiCode, body, operation },
  );
}

export interface BackoffOptions {
  /** Retries after the first attempt for 429, 5xx and network failures (default 5). */
  maxRetries?: number;
  /** Delay before the first retry, doubled per retry (default 500 ms). */
  baseDelayMs?: number;
  /** Cap on a computed delay (default 30 s). */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails instead (default 120 s). */
  maxRetryAfterMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/**
 * Delay before retry number `retry` (0-based): "equal jitter" exponential backoff, half fixed
 * and half random, so retries never bunch at zero yet spread across clients. A Retry-After
 * is a floor: the server said when it will take the call again.
 * jitter is a uniform draw in [0, 1).
 */
export function backoffDelayMs(
  retry: number,
  options: Required<BackoffOptions>,
  jitter: number,
  retryAfterMs?: number,
): number {
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  const computed = exp / 2 + (jitter * exp) / 2;
  return retryAfterMs === undefined ? computed : Math.max(retryAfterMs, computed);
}

/**
 * Retry-After in milliseconds: delay-seconds or an HTTP date (RFC 9110), undefined when
 * absent or unreadable.
 */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

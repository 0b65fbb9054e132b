import { requireFinite } from "../../domain/errors.js";
import { type Clock, systemClock } from "./clock.js";

export interface TokenBucketOptions {
  /** Sustained calls per second. */
  ratePerSecond: number;
  /** Calls that may go at once after a quiet spell (bucket size, ≥ 1). */
  burst: number;
}

/**
 * Token bucket, kept as its equivalent "virtual scheduling" form (GCRA): one number, the
 * theoretical arrival time. acquire() reserves its slot synchronously, so concurrent callers
 * queue in call order without a waiter list. pauseUntil() lets a 429's Retry-After hold back
 * every caller of the bucket, not just the one that was throttled.
 */
export class TokenBucket {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private tat = 0;

  constructor(
    options: TokenBucketOptions,
    private readonly clock: Clock = systemClock,
  ) {
    requireFinite("rateLimit.ratePerSecond", options.ratePerSecond, { positive: true });
    requireFinite("rateLimit.burst", options.burst, { min: 1 });
    this.intervalMs = 1000 / options.ratePerSecond;
    this.toleranceMs = this.intervalMs * (Math.floor(options.burst) - 1);
  }

  /** Milliseconds the next acquire() would wait (0 when a token is available now). */
  waitMs(): number {
    const now = this.clock.now();
    return Math.max(0, Math.max(this.tat, now) - this.toleranceMs - now);
  }

  /** Waits for a token, then takes it. */
  async acquire(): Promise<void> {
    const now = this.clock.now();
    const tat = Math.max(this.tat, now);
    const allowedAt = tat - this.toleranceMs;
    this.tat = tat + this.intervalMs;
    if (allowedAt > now) await this.clock.sleep(allowedAt - now);
  }

  /** No token is handed out before epoch-ms `until` (a server's Retry-After). */
  pauseUntil(until: number): void {
    this.tat = Math.max(this.tat, until + this.toleranceMs);
  }
}

/** One bucket per key (the profile id; "" for calls without a profile), created on first use. */
export class RateLimiters {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: TokenBucketOptions,
    private readonly clock: Clock = systemClock,
  ) {}

  bucket(key: string): TokenBucket {
    let b = this.buckets.get(key);
    if (b === undefined) {
      b = new TokenBucket(this.options, this.clock);
      this.buckets.set(key, b);
    }
    return b;
  }
}

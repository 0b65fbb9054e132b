import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelayMs, DEFAULT_BACKOFF, parseRetryAfterMs } from "../../src/connectors/amazon-ads/backoff.js";
import { RateLimiters, TokenBucket } from "../../src/connectors/amazon-ads/token-bucket.js";
import { VirtualClock } from "../apps/ads/helpers/ads-env.js";

describe("token bucket", () => {
  it("lets a burst through at once, then one call per interval", async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 4, burst: 3 }, clock);
    const start = clock.now();
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      await bucket.acquire();
      times.push(clock.now() - start);
    }
    assert.deepEqual(times, [0, 0, 0, 250, 500, 750, 1000]);
  });

  it("refills while idle, up to the burst", async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 2 }, clock);
    await bucket.acquire();
    await bucket.acquire();
    assert.equal(bucket.waitMs(), 500);
    clock.advance(60_000);
    assert.equal(bucket.waitMs(), 0);
    await bucket.acquire();
    await bucket.acquire();
    assert.equal(bucket.waitMs(), 500, "never more than the burst after a long rest");
  });

  it("queues concurrent callers in call order without over-granting", async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1 }, clock);
    const waits: number[] = [];
    const original = clock.sleep;
    clock.sleep = async (ms) => {
      waits.push(ms);
    }; // record the reserved waits, let time stand still
    await Promise.all(Array.from({ length: 5 }, () => bucket.acquire()));
    clock.sleep = original;
    assert.deepEqual(waits, [100, 200, 300, 400]);
  });

  it("a Retry-After pause holds every caller of the bucket", async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket({ ratePerSecond: 100, burst: 10 }, clock);
    bucket.pauseUntil(clock.now() + 5000);
    assert.equal(bucket.waitMs(), 5000);
    const start = clock.now();
    await bucket.acquire();
    assert.equal(clock.now() - start, 5000);
  });

  it("one bucket per profile", async () => {
    const clock = new VirtualClock();
    const limiters = new RateLimiters({ ratePerSecond: 1, burst: 1 }, clock);
    await limiters.bucket("1").acquire();
    assert.equal(limiters.bucket("1").waitMs(), 1000);
    assert.equal(limiters.bucket("2").waitMs(), 0);
    assert.equal(limiters.bucket("1"), limiters.bucket("1"));
  });

  it("refuses a rate that is not positive", () => {
    assert.throws(() => new TokenBucket({ ratePerSecond: 0, burst: 1 }), /ratePerSecond/);
  });
});

describe("backoff", () => {
  it("doubles up to the cap, with equal jitter", () => {
    const o = { ...DEFAULT_BACKOFF, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((r) => backoffDelayMs(r, o, 0)),
      [50, 100, 200, 400, 500, 500],
    );
    assert.deepEqual(
      [0, 1, 5].map((r) => backoffDelayMs(r, o, 0.999999)),
      [0, 1, 5].map((r) => Math.min(1000, 100 * 2 ** r) * (1 - 0.0000005)),
    );
  });

  it("a Retry-After is a floor", () => {
    assert.equal(backoffDelayMs(0, DEFAULT_BACKOFF, 0.5, 7000), 7000);
    assert.equal(backoffDelayMs(10, DEFAULT_BACKOFF, 0.5, 10), 22500);
  });

  it("reads Retry-After in seconds or as an HTTP date", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    assert.equal(parseRetryAfterMs("3", now), 3000);
    assert.equal(parseRetryAfterMs("Sun, 01 Mar 2026 12:00:30 GMT", now), 30_000);
    assert.equal(parseRetryAfterMs(null, now), undefined);
    assert.equal(parseRetryAfterMs("soon", now), undefined);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AmazonAdsError } from "../../src/connectors/amazon-ads/amazon-ads-error.js";
import { systemClock } from "../../src/connectors/amazon-ads/clock.js";
import { MEDIA_TYPES } from "../../src/connectors/amazon-ads/media-types.js";
import { keywordReportRequest } from "../../src/connectors/amazon-ads/reporting.js";
import { type AdsEnv, countRequests, startAdsEnv } from "../apps/ads/helpers/ads-env.js";

async function rejects(promise: Promise<unknown>, code: string, httpStatus?: number): Promise<AmazonAdsError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AmazonAdsError, `expected an AmazonAdsError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (httpStatus !== undefined) assert.equal(error.httpStatus, httpStatus, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

describe("Amazon Ads client against the local server", () => {
  let env: AdsEnv;
  before(async () => {
    env = await startAdsEnv({ fake: { maxPageSize: 7 } });
  });
  after(() => env.close());

  describe("auth", () => {
    it("sends the three headers and obtains one access token for many calls", async () => {
      const before = env.fake.tokens.issuedCount;
      const client = env.newClient();
      await client.listProfiles();
      await client.listCampaigns(env.profileId);
      await client.listAdGroups(env.profileId);
      assert.equal(env.fake.tokens.issuedCount - before, 1);
    });

    it("refreshes the access token before it expires", async () => {
      const client = env.newClient({ tokenRefreshSkewMs: 60_000 });
      await client.listProfiles();
      const before = env.fake.tokens.issuedCount;
      env.clock.advance(3600_000 - 30_000); // within the skew of the 1 h lifetime
      await client.listProfiles();
      assert.equal(env.fake.tokens.issuedCount - before, 1);
      assert.equal(countRequests(env.fake, "GET /v2/profiles", 401), 0);
    });

    it("refreshes once on a 401 (expired token) and retries the call", async () => {
      const client = env.newClient();
      await client.listProfiles();
      const before = env.fake.tokens.issuedCount;
      const unauthorized = countRequests(env.fake, "POST /sp/campaigns/list", 401);
      env.fake.faults.add({ fault: { kind: "expireTokens" }, route: "POST /sp/campaigns/list" });
      const campaigns = await client.listCampaigns(env.profileId);
      assert.equal(campaigns.length, env.marketplace.campaigns().length);
      assert.equal(env.fake.tokens.issuedCount - before, 1);
      assert.equal(countRequests(env.fake, "POST /sp/campaigns/list", 401) - unauthorized, 1);
    });

    it("gives up with BANDITRY_AMAZON_ADS_AUTH when the fresh token is refused too", async () => {
      const client = env.newClient();
      env.fake.faults.add({ fault: { kind: "expireTokens" }, route: "POST /sp/campaigns/list", times: 2 });
      const error = await rejects(client.listCampaigns(env.profileId), "BANDITRY_AMAZON_ADS_AUTH", 401);
      assert.equal(error.apiCode, "UNAUTHORIZED");
      assert.equal(env.fake.faults.pending(), 0);
    });

    it("fails without retrying on a refresh token LWA does not know (invalid_grant)", async () => {
      const tokenCalls = countRequests(env.fake, "POST /auth/o2/token");
      const client = env.newClient({ refreshToken: "Atzr|revoked" });
      const error = await rejects(client.listProfiles(), "BANDITRY_AMAZON_ADS_AUTH", 400);
      assert.equal(error.apiCode, "invalid_grant");
      assert.equal(countRequests(env.fake, "POST /auth/o2/token") - tokenCalls, 1);
    });

    it("fails on a wrong client secret (invalid_client)", async () => {
      const error = await rejects(
        env.newClient({ clientSecret: "wrong" }).listProfiles(),
        "BANDITRY_AMAZON_ADS_AUTH",
        401,
      );
      assert.equal(error.apiCode, "invalid_client");
    });

    it("retries the token endpoint on 5xx", async () => {
      env.fake.faults.add({ fault: { kind: "serverError", status: 503 }, route: "POST /auth/o2/token" });
      const profiles = await env.newClient().listProfiles();
      assert.equal(profiles.length, 1);
    });
  });

  describe("profiles and lists", () => {
    it("keeps the 64-bit profileId exact", async () => {
      const [profile] = await env.client.listProfiles();
      assert.equal(profile?.profileId, env.marketplace.profile.profileId);
      assert.ok(BigInt(profile!.profileId) > BigInt(Number.MAX_SAFE_INTEGER), "the simulated id exceeds 2^53");
      assert.equal(profile?.countryCode, "US");
      assert.equal(profile?.accountInfo.marketplaceStringId, "ATVPDKIKX0DER");
    });

    it("pages through keywords with nextToken until there is none", async () => {
      const before = countRequests(env.fake, "POST /sp/keywords/list");
      const keywords = await env.client.listKeywords(env.profileId);
      const all = env.marketplace.keywords();
      assert.deepEqual(
        keywords.map((k) => k.keywordId),
        all.map((k) => k.keywordId),
      );
      assert.equal(countRequests(env.fake, "POST /sp/keywords/list") - before, Math.ceil(all.length / 7));
      const own = all.find((k) => k.bid !== undefined)!;
      const inherited = all.find((k) => k.bid === undefined)!;
      assert.equal(keywords.find((k) => k.keywordId === own.keywordId)?.bid, own.bid);
      assert.equal(keywords.find((k) => k.keywordId === inherited.keywordId)?.bid, undefined);
    });

    it("fetches pages lazily: stopping the iterator stops the requests", async () => {
      const before = countRequests(env.fake, "POST /sp/keywords/list");
      let seen = 0;
      for await (const _ of env.client.iterateKeywords(env.profileId)) {
        if (++seen === 8) break;
      }
      assert.equal(countRequests(env.fake, "POST /sp/keywords/list") - before, 2);
    });

    it("applies the spec's filters", async () => {
      const campaign = env.marketplace.campaigns()[1]!;
      const keywords = await env.client.listKeywords(env.profileId, {
        campaignIdFilter: { include: [campaign.campaignId] },
        matchTypeFilter: ["EXACT"],
      });
      const expected = env.marketplace
        .keywords()
        .filter((k) => k.campaignId === campaign.campaignId && k.matchType === "EXACT");
      assert.ok(expected.length > 0, "the catalog has exact keywords in the campaign");
      assert.deepEqual(
        keywords.map((k) => k.keywordId),
        expected.map((k) => k.keywordId),
      );
      const campaigns = await env.client.listCampaigns(env.profileId, {
        campaignIdFilter: { include: [campaign.campaignId] },
        stateFilter: { include: ["ENABLED"] },
      });
      assert.deepEqual(
        campaigns.map((c) => [c.campaignId, c.budget.budget]),
        [[campaign.campaignId, campaign.dailyBudget]],
      );
      const adGroups = await env.client.listAdGroups(env.profileId, {
        campaignIdFilter: { include: [campaign.campaignId] },
      });
      assert.deepEqual(
        adGroups.map((g) => [g.adGroupId, g.defaultBid]),
        env.marketplace
          .adGroups()
          .filter((g) => g.campaignId === campaign.campaignId)
          .map((g) => [g.adGroupId, g.defaultBid]),
      );
    });
  });

  describe("retries", () => {
    it("honours Retry-After on 429, then succeeds", async () => {
      env.clock.sleeps.length = 0;
      env.fake.faults.add({ fault: { kind: "throttle", retryAfterSeconds: 7 }, route: "POST /sp/campaigns/list" });
      const campaigns = await env.client.listCampaigns(env.profileId);
      assert.equal(campaigns.length, env.marketplace.campaigns().length);
      assert.ok(
        env.clock.sleeps.some((ms) => ms >= 7000),
        `a wait of at least 7 s, got ${env.clock.sleeps.join(", ")}`,
      );
      assert.ok(
        env.events.some((e) => e.type === "retry" && e.httpStatus === 429 && e.delayMs >= 7000),
        "the retry event reports the 429 and its delay",
      );
    });

    it("does not wait for a Retry-After beyond maxRetryAfterMs", async () => {
      const client = env.newClient({ backoff: { maxRetryAfterMs: 10_000 } });
      env.fake.faults.add({ fault: { kind: "throttle", retryAfterSeconds: 3600 }, route: "POST /sp/campaigns/list" });
      const error = await rejects(client.listCampaigns(env.profileId), "BANDITRY_AMAZON_ADS_UNAVAILABLE", 429);
      assert.equal(error.apiCode, "THROTTLED");
    });

    it("retries 5xx with growing, jittered, bounded delays", async () => {
      env.clock.sleeps.length = 0;
      env.fake.faults.add({ fault: { kind: "serverError", status: 503 }, route: "POST /sp/adGroups/list", times: 3 });
      const client = env.newClient({ rateLimit: false, backoff: { baseDelayMs: 1000, maxDelayMs: 3000 } });
      await client.listAdGroups(env.profileId);
      const waits = env.clock.sleeps;
      assert.equal(waits.length, 3);
      // equal jitter: retry r waits within [d/2, d) of d = min(3000, 1000·2^r)
      for (const [r, ms] of waits.entries()) {
        const d = Math.min(3000, 1000 * 2 ** r);
        assert.ok(ms >= d / 2 && ms < d, `retry ${r} waited ${ms} ms, outside [${d / 2}, ${d})`);
      }
    });

    it("gives up after maxRetries on persistent 5xx", async () => {
      const before = countRequests(env.fake, "POST /sp/adGroups/list", 500);
      env.fake.faults.add({ fault: { kind: "serverError" }, route: "POST /sp/adGroups/list", times: 10 });
      const client = env.newClient({ backoff: { maxRetries: 2 } });
      const error = await rejects(client.listAdGroups(env.profileId), "BANDITRY_AMAZON_ADS_UNAVAILABLE", 500);
      assert.equal(error.apiCode, "INTERNAL_ERROR");
      assert.equal(countRequests(env.fake, "POST /sp/adGroups/list", 500) - before, 3);
      env.fake.faults.clear();
    });

    it("retries a dropped connection", async () => {
      env.fake.faults.add({ fault: { kind: "dropConnection" }, route: "GET /v2/profiles" });
      const profiles = await env.client.listProfiles();
      assert.equal(profiles.length, 1);
    });

    it("never retries other 4xx", async () => {
      const before = countRequests(env.fake, "POST /sp/keywords/list");
      const error = await rejects(
        env.client.listKeywords(env.profileId, { maxResults: 50 }),
        "BANDITRY_AMAZON_ADS_REJECTED",
        400,
      );
      assert.equal(error.apiCode, "INVALID_ARGUMENT");
      assert.equal(countRequests(env.fake, "POST /sp/keywords/list") - before, 1);

      const forbidden = await rejects(env.client.listCampaigns("999"), "BANDITRY_AMAZON_ADS_REJECTED", 403);
      assert.equal(forbidden.apiCode, "ACCESS_DENIED");

      const media = await rejects(
        env.client.transport.call({
          method: "POST",
          path: "/sp/keywords/list",
          profileId: env.profileId,
          mediaType: MEDIA_TYPES.spCampaign,
          body: {},
        }),
        "BANDITRY_AMAZON_ADS_REJECTED",
        415,
      );
      assert.equal(media.apiCode, "UNSUPPORTED_MEDIA_TYPE");
    });
  });

  describe("keyword updates", () => {
    it("chunks by 1000 and records every item's outcome in the caller's order", async () => {
      const keywords = env.marketplace.keywords();
      const updates = Array.from({ length: 2500 }, (_, i) => ({
        keywordId: keywords[i % keywords.length]!.keywordId,
        bid: 0.3 + (i % 7) / 100,
      }));
      updates[5] = { keywordId: "404", bid: 0.5 };
      updates[1700] = { keywordId: keywords[0]!.keywordId, bid: 1001 };
      const before = countRequests(env.fake, "PUT /sp/keywords");
      const result = await env.client.updateKeywords(env.profileId, updates);
      assert.equal(countRequests(env.fake, "PUT /sp/keywords") - before, 3);
      assert.equal(result.outcomes.length, 2500);
      assert.deepEqual(
        result.outcomes.map((o) => o.index),
        updates.map((_, i) => i),
      );
      assert.deepEqual(
        result.failed.map((o) => [o.index, o.errors[0]?.errorType]),
        [
          [5, "entityNotFoundError"],
          [1700, "biddingError"],
        ],
      );
      const range = result.failed[1]!.errors[0]!.errorValue["biddingError"]!;
      assert.equal(range.reason, "BID_OUT_OF_MARKET_PLACE_RANGE");
      assert.equal(range["upperLimit"], "1000");
      assert.equal(result.succeeded.length, 2498);
    });

    it("records 207 partial failures item by item", async () => {
      const ids = env.marketplace
        .keywords()
        .slice(0, 6)
        .map((k) => k.keywordId);
      env.fake.faults.add({ fault: { kind: "partialFailure", indices: [1, 4], errorType: "throttledError" } });
      const result = await env.client.updateKeywords(
        env.profileId,
        ids.map((keywordId) => ({ keywordId, bid: 0.61 })),
      );
      assert.deepEqual(
        result.outcomes.map((o) => o.ok),
        [true, false, true, true, false, true],
      );
      assert.equal(result.failed[0]!.keywordId, ids[1]);
      assert.equal(result.failed[0]!.errors[0]!.errorValue["throttledError"]?.reason, "THROTTLED");
      for (const o of result.succeeded) assert.equal(env.marketplace.keyword(o.keywordId)?.bid, 0.61);
      assert.notEqual(env.marketplace.keyword(ids[1]!)?.bid, 0.61);
    });

    it("marks the items of a chunk that failed as a whole, and still sends the next chunk", async () => {
      const ids = env.marketplace.keywords().map((k) => k.keywordId);
      const client = env.newClient({ backoff: { maxRetries: 1 } });
      // two 500s: the first chunk's attempt and its one retry
      env.fake.faults.add({ fault: { kind: "serverError" }, route: "PUT /sp/keywords", times: 2 });
      const result = await client.updateKeywords(
        env.profileId,
        ids.slice(0, 4).map((keywordId) => ({ keywordId, bid: 0.44 })),
        { chunkSize: 2 },
      );
      assert.deepEqual(
        result.outcomes.map((o) => [o.ok, o.requestError?.httpStatus]),
        [
          [false, 500],
          [false, 500],
          [true, undefined],
          [true, undefined],
        ],
      );
      assert.equal(result.failed[0]!.requestError?.code, "BANDITRY_AMAZON_ADS_UNAVAILABLE");
    });

    it("changes what the simulator does the next day", async () => {
      const kw = env.marketplace.keywords().find((k) => env.marketplace.isServing(k.keywordId))!;
      const day = env.marketplace.today;
      const result = await env.client.updateKeywords(env.profileId, [{ keywordId: kw.keywordId, bid: 2.5 }], {
        returnRepresentation: true,
      });
      assert.equal(result.succeeded[0]?.keyword?.bid, 2.5);
      env.marketplace.advanceDay();
      const rows = await env.client.keywordReport(env.profileId, { startDate: day, endDate: day });
      const row = rows.find((r) => r.keywordId === kw.keywordId);
      assert.equal(row?.keywordBid, 2.5);
    });
  });

  describe("reports", () => {
    const range = () => ({ startDate: "2026-01-05", endDate: "2026-01-11" });

    it("creates, polls with growing intervals, downloads and gunzips keyword rows with exact ids", async () => {
      const client = env.newClient({ reportPolling: { initialIntervalMs: 1000, factor: 2, maxIntervalMs: 8000 } });
      env.clock.sleeps.length = 0;
      const before = env.fake.requests.length;
      const rows = await client.keywordReport(env.profileId, range());
      const expected = env.marketplace.reportRows(range().startDate, range().endDate);
      assert.equal(rows.length, expected.length);
      const sample = rows[0]!;
      const truth = expected.find((r) => r.keywordId === sample.keywordId && r.date === sample.date)!;
      assert.equal(typeof sample.keywordId, "string");
      assert.equal(sample.campaignId, truth.campaignId);
      assert.equal(sample.adGroupId, truth.adGroupId);
      assert.deepEqual(
        [sample.impressions, sample.clicks, sample.cost, sample.sales14d, sample.purchases14d, sample.keywordBid],
        [truth.impressions, truth.clicks, truth.cost, truth.sales14d, truth.purchases14d, truth.bid],
      );
      // the report takes 1 s on the server clock: PENDING at the first poll, COMPLETED after 1 s
      const polls = env.fake.requests.slice(before).filter((r) => r.route === "GET /reporting/reports/:reportId");
      assert.ok(polls.length >= 2, `polled ${polls.length} times`);
      const downloads = env.fake.requests.slice(before).filter((r) => r.route === "GET /download/reports/:file");
      assert.deepEqual(
        downloads.map((d) => d.status),
        [200],
      );
    });

    it("waits with backoff through a slow report", async () => {
      const client = env.newClient({ reportPolling: { initialIntervalMs: 1000, factor: 2, maxIntervalMs: 60_000 } });
      env.fake.faults.add({ fault: { kind: "slowReport", delayMs: 2 * 3600_000 } });
      env.clock.sleeps.length = 0;
      const rows = await client.keywordReport(env.profileId, { startDate: "2026-01-02", endDate: "2026-01-03" });
      assert.ok(rows.length > 0, "rows arrive after two hours of polling");
      const polls = env.clock.sleeps.filter((ms) => ms >= 1000);
      assert.deepEqual(polls.slice(0, 5), [1000, 2000, 4000, 8000, 16000]);
      // 1, 2, 4, …, 32 s, then every 60 s for the rest of the two hours
      assert.ok(polls.length <= 6 + (2 * 3600) / 60, `polls ${polls.length}`);
    });

    it("gives BANDITRY_AMAZON_ADS_REPORT_TIMEOUT past the poll timeout", async () => {
      env.fake.faults.add({ fault: { kind: "slowReport", delayMs: 5 * 3600_000 } });
      await rejects(
        env.client.keywordReport(
          env.profileId,
          { startDate: "2026-01-02", endDate: "2026-01-04" },
          { timeoutMs: 600_000 },
        ),
        "BANDITRY_AMAZON_ADS_REPORT_TIMEOUT",
      );
    });

    it("raises BANDITRY_AMAZON_ADS_REPORT_FAILED with Amazon's reason for a failed report", async () => {
      env.fake.faults.add({ fault: { kind: "failReport", reason: "Internal error generating report" } });
      const error = await rejects(
        env.client.keywordReport(env.profileId, { startDate: "2026-01-06", endDate: "2026-01-07" }),
        "BANDITRY_AMAZON_ADS_REPORT_FAILED",
      );
      assert.match(error.message, /Internal error generating report/);
    });

    it("reuses the id Amazon names in a 425 for the same report in progress", async () => {
      const request = keywordReportRequest({ startDate: "2026-01-08", endDate: "2026-01-09" });
      const first = await env.client.createReport(env.profileId, request);
      const second = await env.client.createReport(env.profileId, request);
      assert.deepEqual([first.duplicate, second.duplicate, second.reportId], [false, true, first.reportId]);
      env.fake.faults.add({ fault: { kind: "duplicateReport" } });
      const other = keywordReportRequest({ startDate: "2026-01-10", endDate: "2026-01-12" });
      const joined = await env.client.createReport(env.profileId, other);
      assert.equal(joined.duplicate, true);
      const report = await env.client.waitForReport(env.profileId, joined.reportId);
      assert.equal(report.status, "COMPLETED");
      assert.equal(report.startDate, "2026-01-10");
    });

    it("fetches a fresh link when the download link has expired", async () => {
      const { reportId } = await env.client.createReport(
        env.profileId,
        keywordReportRequest({ startDate: "2026-01-13", endDate: "2026-01-14" }),
      );
      const report = await env.client.waitForReport(env.profileId, reportId);
      env.clock.advance(2 * 3600_000);
      const before = countRequests(env.fake, "GET /download/reports/:file", 403);
      const rows = await env.client.downloadReport(env.profileId, report);
      assert.ok(rows.length > 0, "rows after a refreshed link");
      assert.equal(countRequests(env.fake, "GET /download/reports/:file", 403) - before, 1);
    });

    it("refuses a range over 31 days before calling Amazon", async () => {
      await assert.rejects(
        env.client.keywordReport(env.profileId, { startDate: "2026-01-01", endDate: "2026-02-05" }),
        (e: Error & { code?: string }) => e.code === "BANDITRY_INVALID_PARAMETER",
      );
    });

    it("shows attribution lag: recent days' sales grow in later reports", async () => {
      const day = env.marketplace.lastCompleteDate!;
      const early = await env.client.keywordReport(env.profileId, { startDate: day, endDate: day });
      env.marketplace.advanceDays(14);
      const late = await env.client.keywordReport(env.profileId, { startDate: day, endDate: day });
      const total = (rows: typeof early, c: "sales14d" | "purchases14d" | "clicks") =>
        rows.reduce((s, r) => s + r[c], 0);
      assert.ok(total(late, "purchases14d") > total(early, "purchases14d"), "orders arrive after the day");
      assert.ok(total(late, "sales14d") > total(early, "sales14d"), "sales arrive after the day");
      assert.ok(total(late, "clicks") <= total(early, "clicks"), "invalid clicks are removed, never added");
    });
  });
});

describe("rate limiting against a throttling server", () => {
  let env: AdsEnv;
  before(async () => {
    env = await startAdsEnv({ fake: { rateLimit: { ratePerSecond: 2, burst: 3 } } });
  });
  after(() => env.close());

  it("a client limited like the server is never throttled", async () => {
    const client = env.newClient({ rateLimit: { ratePerSecond: 2, burst: 3 } });
    const start = env.clock.now();
    for (let i = 0; i < 12; i++) await client.listCampaigns(env.profileId);
    assert.equal(countRequests(env.fake, "POST /sp/campaigns/list", 429), 0);
    // 3 at once, then one every 500 ms
    assert.equal(env.clock.now() - start, 9 * 500);
  });

  it("an unlimited client meets 429s and still gets through by Retry-After", async () => {
    env.clock.advance(10_000);
    const client = env.newClient({ rateLimit: false });
    for (let i = 0; i < 8; i++) await client.listCampaigns(env.profileId);
    assert.ok(countRequests(env.fake, "POST /sp/campaigns/list", 429) > 0, "the server throttled");
  });
});

describe("rate limiting of concurrent callers (real clock)", () => {
  let env: AdsEnv;
  before(async () => {
    // the server allows twice the client's rate, so network jitter cannot cause a 429
    env = await startAdsEnv({ fake: { rateLimit: { ratePerSecond: 40, burst: 3 }, now: () => Date.now() } });
  });
  after(() => env.close());

  it("concurrent callers share the profile's bucket and are never throttled", async () => {
    const client = env.newClient({ clock: systemClock, rateLimit: { ratePerSecond: 20, burst: 3 } });
    await client.listProfiles(); // token first, so the burst is spent on the calls below
    const start = Date.now();
    await Promise.all(Array.from({ length: 8 }, () => client.listCampaigns(env.profileId)));
    const elapsed = Date.now() - start;
    assert.equal(countRequests(env.fake, "POST /sp/campaigns/list", 429), 0);
    assert.ok(elapsed >= 5 * 50 - 5, `8 calls at 20/s after a burst of 3 take ≥ 250 ms, took ${elapsed}`);
  });

  it("without the limiter the same burst is throttled (and recovers)", async () => {
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the server's bucket refill
    const client = env.newClient({ clock: systemClock, rateLimit: false, backoff: { baseDelayMs: 10 } });
    await client.listProfiles();
    await Promise.all(Array.from({ length: 8 }, () => client.listCampaigns(env.profileId)));
    assert.ok(countRequests(env.fake, "POST /sp/campaigns/list", 429) > 0, "the server throttled the burst");
  });
});

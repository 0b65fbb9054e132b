import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { defaultSpecPath, SpecValidator } from "../../../src/apps/ads/fake-server/spec-validator.js";
import { MEDIA_TYPES } from "../../../src/connectors/amazon-ads/media-types.js";
import { keywordReportRequest } from "../../../src/connectors/amazon-ads/reporting.js";
import { type AdsEnv, startAdsEnv } from "./helpers/ads-env.js";

interface Exchange {
  method: string;
  path: string;
  requestHeaders: Headers;
  requestBody: string | undefined;
  status: number;
  responseType: string;
  responseBytes: Buffer;
}

/** A fetch that passes every call through to the real one and keeps a copy of both sides. */
function tapFetch(log: Exchange[]): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    const response = await fetch(input, init);
    const copy = response.clone();
    log.push({
      method: init?.method ?? "GET",
      path: url.pathname,
      requestHeaders: new Headers(init?.headers),
      requestBody: typeof init?.body === "string" ? init.body : undefined,
      status: response.status,
      responseType: (response.headers.get("content-type") ?? "").split(";")[0]!.trim(),
      responseBytes: Buffer.from(await copy.arrayBuffer()),
    });
    return response;
  };
}

const SP_PATHS = new Set(["/sp/campaigns/list", "/sp/adGroups/list", "/sp/keywords/list", "/sp/keywords"]);

/** Everything wrong with one exchange, judged by the spec (SP v3) or the documented shapes. */
function violations(v: SpecValidator, x: Exchange): string[] {
  const text = x.responseBytes.toString("utf8");
  const json = () => JSON.parse(text) as unknown;
  const out: string[] = [];
  const where = `${x.method} ${x.path} → ${x.status}`;
  const add = (errors: string[]) => out.push(...errors.map((e) => `${where}: ${e}`));
  const header = (name: string) => x.requestHeaders.get(name);

  if (x.path === "/auth/o2/token") {
    const form = new URLSearchParams(x.requestBody ?? "");
    if (header("content-type") !== MEDIA_TYPES.form) out.push(`${where}: token request not form-encoded`);
    for (const f of ["grant_type", "refresh_token", "client_id", "client_secret"]) {
      if (!form.get(f)) out.push(`${where}: token request without ${f}`);
    }
    add(v.named(x.status === 200 ? "lwaTokenResponse" : "lwaError", json()));
    return out;
  }
  if (x.path.startsWith("/download/")) {
    if (header("authorization") !== null) out.push(`${where}: Amazon headers sent to the pre-signed URL`);
    if (x.status === 200) {
      const rows = JSON.parse(gunzipSync(x.responseBytes).toString("utf8")) as unknown[];
      for (const row of rows) add(v.named("spTargetingRow", row));
    } else if (!text.startsWith("<?xml")) out.push(`${where}: S3 errors are XML`);
    return out;
  }
  // every Ads API call carries the three headers (Scope all but /v2/profiles)
  if (!/^Bearer Atza\|/.test(header("authorization") ?? "")) out.push(`${where}: no Bearer access token`);
  if (!header("amazon-advertising-api-clientid")) out.push(`${where}: no ClientId header`);
  if (x.path !== "/v2/profiles" && !header("amazon-advertising-api-scope")) out.push(`${where}: no Scope header`);

  if (x.path === "/v2/profiles") {
    add(v.named(x.status === 200 ? "profilesResponse" : "v2Error", json()));
  } else if (x.path.startsWith("/reporting/reports")) {
    if (x.method === "POST" && x.status !== 400)
      add(v.named("createReportRequest", JSON.parse(x.requestBody ?? "null")));
    add(v.named(x.status === 200 ? "reportResponse" : "reportingError", json()));
  } else if (SP_PATHS.has(x.path)) {
    const [mediaType] = v.requestMediaTypes(x.method, x.path);
    const sent = header("content-type")!;
    if (mediaType !== sent && x.status !== 415) out.push(`${where}: sent ${sent}, the spec wants ${mediaType}`);
    // a request answered 400 or 415 was sent invalid on purpose (the test's error cases)
    if (x.status !== 400 && x.status !== 415)
      add(v.request(x.method, x.path, sent, JSON.parse(x.requestBody ?? "null")));
    // the spec documents 500 only; 502-504 carry the same body
    const status = Math.min(x.status, 500);
    add(v.response(x.method, x.path, status, x.responseType, json()));
  } else out.push(`${where}: not an Amazon Ads path`);
  return out;
}

describe("conformance of the local server and the client to Amazon's spec", () => {
  const log: Exchange[] = [];
  let env: AdsEnv;
  let v: SpecValidator;
  before(async () => {
    v = new SpecValidator();
    env = await startAdsEnv({
      fake: { maxPageSize: 9, validator: v },
      client: { fetch: tapFetch(log), reportPolling: { initialIntervalMs: 500 } },
    });
  });
  after(() => env.close());

  it("every request and response of every endpoint and fault matches the spec", async () => {
    const { client, profileId, fake } = env;
    const ids = env.marketplace.keywords().map((k) => k.keywordId);

    await client.listProfiles();
    await client.listCampaigns(profileId, { includeExtendedDataFields: true });
    await client.listAdGroups(profileId, { includeExtendedDataFields: true });
    await client.listKeywords(profileId, { includeExtendedDataFields: true, stateFilter: { include: ["ENABLED"] } });
    fake.faults.add({ fault: { kind: "partialFailure" } });
    await client.updateKeywords(profileId, [
      ...ids.slice(0, 4).map((keywordId) => ({ keywordId, bid: 0.52 })),
      { keywordId: ids[4]!, bid: 0.001 },
      { keywordId: "1", state: "PAUSED" as const },
    ]);
    await client.updateKeywords(profileId, [{ keywordId: ids[5]!, bid: null }], { returnRepresentation: true });
    await client.keywordReport(profileId, { startDate: "2026-01-03", endDate: "2026-01-09" });
    await client.runReport(profileId, {
      ...keywordReportRequest({ startDate: "2026-01-03", endDate: "2026-01-09" }),
      configuration: {
        ...keywordReportRequest({ startDate: "2026-01-03", endDate: "2026-01-09" }).configuration,
        timeUnit: "SUMMARY",
        columns: ["startDate", "endDate", "keywordId", "keyword", "campaignName", "clicks", "cost", "acosClicks14d"],
      },
    });

    // faults, each on a route of each dialect
    fake.faults.add(
      { fault: { kind: "throttle", retryAfterSeconds: 2 }, route: "POST /sp/keywords/list" },
      { fault: { kind: "throttle" }, route: "GET /v2/profiles" },
      { fault: { kind: "throttle" }, route: "GET /reporting/reports/:reportId" },
      { fault: { kind: "serverError" }, route: "POST /sp/campaigns/list" },
      { fault: { kind: "serverError", status: 503 }, route: "PUT /sp/keywords" },
      { fault: { kind: "serverError", status: 502 }, route: "POST /auth/o2/token" },
      { fault: { kind: "expireTokens" }, route: "POST /sp/adGroups/list" },
      { fault: { kind: "duplicateReport" } },
    );
    await client.listKeywords(profileId, { matchTypeFilter: ["EXACT"] });
    await client.listCampaigns(profileId);
    await client.listAdGroups(profileId);
    await client.updateKeywords(profileId, [{ keywordId: ids[6]!, bid: 0.4 }]);
    await client.keywordReport(profileId, { startDate: "2026-01-04", endDate: "2026-01-05" });
    await client.listProfiles();
    fake.faults.add({ fault: { kind: "failReport" } });
    await assert.rejects(client.keywordReport(profileId, { startDate: "2026-01-06", endDate: "2026-01-06" }));
    const expiring = await client.createReport(
      profileId,
      keywordReportRequest({ startDate: "2026-01-07", endDate: "2026-01-07" }),
    );
    const report = await client.waitForReport(profileId, expiring.reportId);
    env.clock.advance(2 * 3600_000);
    await client.downloadReport(profileId, report);

    // errors that are never retried
    await assert.rejects(client.listKeywords(profileId, { maxResults: 10 })); // 400
    await assert.rejects(client.listCampaigns("123")); // 403
    await assert.rejects(
      client.transport.call({
        method: "POST",
        path: "/sp/campaigns/list",
        profileId,
        mediaType: MEDIA_TYPES.json,
        body: {},
      }),
    ); // 415
    await assert.rejects(
      client.transport.call({
        method: "PUT",
        path: "/sp/keywords",
        profileId,
        mediaType: MEDIA_TYPES.spKeyword,
        body: { keywords: Array.from({ length: 1001 }, (_, i) => ({ keywordId: String(i) })) },
      }),
    ); // 400: more than 1000 items
    await assert.rejects(
      client.createReport(profileId, {
        startDate: "2026-01-01",
        endDate: "2026-01-02",
        configuration: {
          ...keywordReportRequest({ startDate: "2026-01-01", endDate: "2026-01-02" }).configuration,
          reportTypeId: "spKeywords",
        },
      }),
    ); // 400 in the reporting dialect

    const problems = log.flatMap((x) => violations(v, x));
    assert.deepEqual(problems, []);

    const seen = new Set(
      log.map(
        (x) =>
          `${x.method} ${x.path.replace(/\/reporting\/reports\/.+/, "/reporting/reports/{id}").replace(/\/download\/.+/, "/download")} ${x.status}`,
      ),
    );
    for (const expected of [
      "POST /auth/o2/token 200",
      "POST /auth/o2/token 502",
      "GET /v2/profiles 200",
      "GET /v2/profiles 429",
      "POST /sp/campaigns/list 200",
      "POST /sp/campaigns/list 500",
      "POST /sp/campaigns/list 403",
      "POST /sp/campaigns/list 415",
      "POST /sp/adGroups/list 200",
      "POST /sp/adGroups/list 401",
      "POST /sp/keywords/list 200",
      "POST /sp/keywords/list 429",
      "POST /sp/keywords/list 400",
      "PUT /sp/keywords 207",
      "PUT /sp/keywords 503",
      "PUT /sp/keywords 400",
      "POST /reporting/reports 200",
      "POST /reporting/reports 425",
      "POST /reporting/reports 400",
      "GET /reporting/reports/{id} 200",
      "GET /reporting/reports/{id} 429",
      "GET /download 200",
      "GET /download 403",
    ]) {
      assert.ok(seen.has(expected), `no exchange ${expected}; saw ${[...seen].sort().join(", ")}`);
    }
  });
});

describe("the local server's answers to malformed requests", () => {
  let env: AdsEnv;
  let token: string;
  before(async () => {
    env = await startAdsEnv({ days: 3 });
    const res = await env.fake.app.inject({
      method: "POST",
      url: "/auth/o2/token",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: env.fake.client.refreshTokens[0]!,
        client_id: env.fake.client.clientId,
        client_secret: env.fake.client.clientSecret,
      }).toString(),
    });
    token = res.json().access_token;
  });
  after(() => env.close());

  const sp = (headers: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    "amazon-advertising-api-clientid": env.fake.client.clientId,
    "amazon-advertising-api-scope": env.profileId,
    "content-type": MEDIA_TYPES.spKeyword,
    accept: MEDIA_TYPES.spKeyword,
    ...headers,
  });
  const validator = () => new SpecValidator();

  it("415 for a missing or wrong media type, in the spec's shape", async () => {
    const v = validator();
    const wrong: Record<string, string>[] = [
      { "content-type": "application/json" },
      { accept: MEDIA_TYPES.spCampaign },
    ];
    for (const headers of wrong) {
      const res = await env.fake.app.inject({
        method: "POST",
        url: "/sp/keywords/list",
        headers: sp(headers),
        payload: "{}",
      });
      assert.equal(res.statusCode, 415);
      assert.deepEqual(v.response("POST", "/sp/keywords/list", 415, "application/json", res.json()), []);
    }
  });

  it("400 for malformed JSON and for bodies the spec refuses", async () => {
    const v = validator();
    const bad = await env.fake.app.inject({ method: "POST", url: "/sp/keywords/list", headers: sp(), payload: "{" });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(v.response("POST", "/sp/keywords/list", 400, "application/json", bad.json()), []);
    const refused = await env.fake.app.inject({
      method: "PUT",
      url: "/sp/keywords",
      headers: sp(),
      payload: JSON.stringify({ keywords: [{ bid: 1 }] }),
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json().message, /keywordId/);
    assert.deepEqual(v.response("PUT", "/sp/keywords", 400, "application/json", refused.json()), []);
  });

  it("401 without a valid token, 400 without a scope", async () => {
    const noToken = await env.fake.app.inject({
      method: "POST",
      url: "/sp/keywords/list",
      headers: sp({ authorization: "Bearer Atza|forged" }),
      payload: "{}",
    });
    assert.deepEqual([noToken.statusCode, noToken.json().code], [401, "UNAUTHORIZED"]);
    const headers = sp();
    delete (headers as Record<string, string | undefined>)["amazon-advertising-api-scope"];
    const noScope = await env.fake.app.inject({ method: "POST", url: "/sp/keywords/list", headers, payload: "{}" });
    assert.equal(noScope.statusCode, 400);
  });

  it("LWA refuses other grants and content types", async () => {
    const form = (fields: Record<string, string>, type = "application/x-www-form-urlencoded") =>
      env.fake.app.inject({
        method: "POST",
        url: "/auth/o2/token",
        headers: { "content-type": type },
        payload: new URLSearchParams(fields).toString(),
      });
    const wrongType = await form({ grant_type: "refresh_token" }, "application/json");
    assert.deepEqual([wrongType.statusCode, wrongType.json().error], [400, "invalid_request"]);
    const grant = await form({ grant_type: "authorization_code", client_id: "x", client_secret: "y" });
    assert.deepEqual([grant.statusCode, grant.json().error], [400, "unsupported_grant_type"]);
  });

  it("reporting refuses what spTargeting cannot give, in its own dialect", async () => {
    const headers = sp({ "content-type": MEDIA_TYPES.createReport, accept: MEDIA_TYPES.createReport });
    const base = keywordReportRequest({ startDate: "2026-01-01", endDate: "2026-01-02" });
    const cases: [string, unknown, RegExp][] = [
      ["unknown column", { ...base, configuration: { ...base.configuration, columns: ["date", "bogus"] } }, /bogus/],
      ["range", { ...base, endDate: "2026-02-15" }, /at most 31/],
      [
        "daily with startDate",
        { ...base, configuration: { ...base.configuration, columns: ["startDate"] } },
        /SUMMARY/,
      ],
      [
        "bad filter",
        { ...base, configuration: { ...base.configuration, filters: [{ field: "keywordType", values: ["X"] }] } },
        /X/,
      ],
      ["unknown field", { ...base, extra: 1 }, /additional/],
    ];
    for (const [what, body, detail] of cases) {
      const res = await env.fake.app.inject({
        method: "POST",
        url: "/reporting/reports",
        headers,
        payload: JSON.stringify(body),
      });
      assert.equal(res.statusCode, 400, what);
      assert.equal(res.json().code, "400", what);
      assert.match(res.json().detail, detail, what);
    }
  });

  it("the download link wants its signature and nothing else", async () => {
    const noSig = await env.fake.app.inject({
      method: "GET",
      url: "/download/reports/x.json.gz?X-Amz-Expires=1&X-Amz-Signature=no",
    });
    assert.equal(noSig.statusCode, 403);
    assert.match(noSig.body, /<Code>AccessDenied<\/Code>/);
    const withAuth = await env.fake.app.inject({
      method: "GET",
      url: "/download/reports/x.json.gz",
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(withAuth.statusCode, 400);
  });

  it("admin routes advance the simulated days", async () => {
    const before = env.marketplace.today;
    const res = await env.fake.app.inject({
      method: "POST",
      url: "/__fake/advance",
      payload: JSON.stringify({ days: 2 }),
    });
    assert.equal(res.statusCode, 200);
    assert.notEqual(env.marketplace.today, before);
    assert.equal(env.marketplace.dayIndex, 5);
  });
});

describe("the spec file", () => {
  it("is Amazon's SP v3 spec, unchanged but for formatting", (t) => {
    const reference = "/work/shared/reference/amazon-ads/SponsoredProducts_prod_3p.json";
    if (!existsSync(reference)) return t.skip("reference copy not on this machine");
    assert.deepEqual(JSON.parse(readFileSync(defaultSpecPath(), "utf8")), JSON.parse(readFileSync(reference, "utf8")));
  });
});

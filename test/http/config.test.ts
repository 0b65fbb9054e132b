import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfig } from "../../src/config.js";
import { BanditryError } from "../../src/domain/errors.js";

function fails(fn: () => unknown, field: string, pattern: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BanditryError);
    assert.equal(e.field, field);
    assert.match(e.message, pattern);
    return true;
  });
}

describe("loadConfig", () => {
  it("has defaults", () => {
    assert.deepEqual(loadConfig({}, {}), {
      port: 8080,
      host: "127.0.0.1",
      dataDir: "./data",
      databaseUrl: null,
      sqliteSynchronous: "NORMAL",
      sqliteWorker: false,
      sqliteBackgroundCheckpoints: true,
      rankThread: true,
      logLevel: "info",
      requestLogging: false,
      refreshIntervalMs: 1000,
      flushIntervalMs: 0,
      maxBatch: 2000,
      bodyLimit: 1_048_576,
      keyCacheTtlMs: 2000,
      amazonAdsClientId: null,
      amazonAdsClientSecret: null,
      amazonAdsRefreshToken: null,
      amazonAdsRegion: "NA",
      amazonAdsApiBaseUrl: null,
      amazonAdsTokenUrl: null,
      adsSchedulerIntervalMs: 15_000,
      linearPolicy: "pool",
      linearPoolRefreshMs: 100,
      linearPoolRefreshRewards: 100,
      linearDraws: 200,
    });
  });

  it("reads the environment, and overrides win over it", () => {
    const env = {
      BANDITRY_PORT: "9000",
      BANDITRY_HOST: "0.0.0.0",
      BANDITRY_DATA_DIR: "/var/lib/banditry",
      BANDITRY_DATABASE_URL: "postgres://u:p@db:5432/banditry",
      BANDITRY_LOG_LEVEL: "WARN",
      BANDITRY_SQLITE_SYNCHRONOUS: "normal",
      BANDITRY_SQLITE_WORKER: "on",
      BANDITRY_REQUEST_LOGGING: "true",
      BANDITRY_REFRESH_INTERVAL_MS: "5000",
      BANDITRY_FLUSH_INTERVAL_MS: "0",
      BANDITRY_MAX_BATCH: "500",
      BANDITRY_BODY_LIMIT: "65536",
      BANDITRY_KEY_CACHE_TTL_MS: "100",
      BANDITRY_LINEAR_POLICY: "Exact",
      BANDITRY_LINEAR_POOL_REFRESH_MS: "250",
      BANDITRY_LINEAR_POOL_REFRESH_REWARDS: "50",
      BANDITRY_LINEAR_DRAWS: "400",
      BANDITRY_RANK_THREAD: "off",
    };
    const c = loadConfig({}, env);
    assert.equal(c.port, 9000);
    assert.equal(c.host, "0.0.0.0");
    assert.equal(c.databaseUrl, "postgres://u:p@db:5432/banditry");
    assert.equal(c.logLevel, "warn");
    assert.equal(c.sqliteSynchronous, "NORMAL");
    assert.equal(c.sqliteWorker, true);
    assert.equal(c.requestLogging, true);
    assert.equal(c.flushIntervalMs, 0);
    assert.equal(c.maxBatch, 500);
    assert.equal(c.bodyLimit, 65536);
    assert.equal(c.linearPolicy, "exact");
    assert.equal(c.linearPoolRefreshMs, 250);
    assert.equal(c.linearPoolRefreshRewards, 50);
    assert.equal(c.linearDraws, 400);
    assert.equal(c.rankThread, false);
    assert.equal(loadConfig({ port: 0, host: "localhost" }, env).port, 0);
    assert.equal(loadConfig({ port: 0, host: "localhost" }, env).host, "localhost");
    assert.equal(loadConfig({}, { BANDITRY_DATABASE_URL: "" }).databaseUrl, null);
  });

  it("names the variable and the bad value", () => {
    fails(() => loadConfig({}, { BANDITRY_PORT: "http" }), "BANDITRY_PORT", /integer.*"http"/);
    fails(() => loadConfig({}, { BANDITRY_PORT: "70000" }), "BANDITRY_PORT", /0\.\.65535/);
    fails(() => loadConfig({}, { BANDITRY_PORT: "80.5" }), "BANDITRY_PORT", /integer/);
    fails(() => loadConfig({}, { BANDITRY_FLUSH_INTERVAL_MS: "-1" }), "BANDITRY_FLUSH_INTERVAL_MS", /integer/);
    fails(() => loadConfig({}, { BANDITRY_LOG_LEVEL: "loud" }), "BANDITRY_LOG_LEVEL", /one of/);
    fails(() => loadConfig({}, { BANDITRY_LINEAR_POLICY: "greedy" }), "BANDITRY_LINEAR_POLICY", /pool or exact/);
    fails(
      () => loadConfig({}, { BANDITRY_LINEAR_POOL_REFRESH_MS: "0" }),
      "BANDITRY_LINEAR_POOL_REFRESH_MS",
      /integer in 1\.\./,
    );
    fails(() => loadConfig({ linearDraws: 0 }), "linearDraws", /integer in 1\.\./);
    fails(
      () => loadConfig({}, { BANDITRY_SQLITE_SYNCHRONOUS: "OFF" }),
      "BANDITRY_SQLITE_SYNCHRONOUS",
      /FULL or NORMAL/,
    );
    fails(() => loadConfig({}, { BANDITRY_SQLITE_WORKER: "maybe" }), "BANDITRY_SQLITE_WORKER", /true or false/);
    fails(() => loadConfig({}, { BANDITRY_REQUEST_LOGGING: "maybe" }), "BANDITRY_REQUEST_LOGGING", /true or false/);
    fails(() => loadConfig({}, { BANDITRY_HOST: " " }), "BANDITRY_HOST", /non-empty/);
    fails(() => loadConfig({}, { BANDITRY_BODY_LIMIT: "10" }), "BANDITRY_BODY_LIMIT", /1024/);
    fails(() => loadConfig({}, { BANDITRY_DATABASE_URL: "mysql://x" }), "BANDITRY_DATABASE_URL", /postgres/);
    fails(() => loadConfig({ port: -1 }), "port", /integer/);
    fails(() => loadConfig({ logLevel: "loud" as never }), "logLevel", /one of/);
    fails(() => loadConfig({ nope: 1 } as never), "nope", /unknown/);
  });

  it("never echoes a database password", () => {
    assert.throws(
      () => loadConfig({}, { BANDITRY_DATABASE_URL: "mysql://user:s3cret@db" }),
      (e: unknown) => e instanceof BanditryError && !e.message.includes("s3cret"),
    );
  });
});

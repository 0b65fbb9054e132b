import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { AdsService } from "../../../src/apps/ads/service/ads-service.js";
import { createAdsService } from "../../../src/apps/ads/service/create-ads-service.js";
import { createKeyService, type KeyService } from "../../../src/auth/key-service.js";
import { createEngine, type Engine } from "../../../src/engine/engine.js";
import { createEvaluationService } from "../../../src/evaluation/create-evaluation-service.js";
import type { EvaluationService } from "../../../src/evaluation/evaluation-types.js";
import { type AppOptions, buildApp } from "../../../src/http/build-app.js";
import { createMetrics, type Metrics } from "../../../src/http/metrics.js";
import { createStores } from "../../../src/stores/create-stores.js";
import type { Stores } from "../../../src/stores/stores.js";

export interface TestApp {
  app: FastifyInstance;
  engine: Engine;
  stores: Stores;
  keyService: KeyService;
  metrics: Metrics;
  evaluations: EvaluationService;
  /** The bid optimizer with no Amazon Ads credentials, as a server without them runs it. */
  ads: AdsService;
  /** Authorization headers of one key per scope. */
  auth: { admin: Record<string, string>; decide: Record<string, string>; read: Record<string, string> };
  close(): Promise<void>;
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** Amazon Ads as a server without BANDITRY_AMAZON_ADS_* has it: calls to Amazon answer 503 BANDITRY_ADS_NOT_CONFIGURED. */
const NO_AMAZON_ADS = {
  clientId: null,
  clientSecret: null,
  refreshToken: null,
  region: "NA",
  apiBaseUrl: null,
  tokenUrl: null,
} as const;

/**
 * The real app on the real engine and a fresh SQLite store in a temp directory, with every
 * optional part the server has: evaluations, Personalizer loops and the ads routes.
 */
export async function createTestApp(options: AppOptions = {}, logger?: FastifyBaseLogger): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "banditry-http-"));
  const stores = await createStores({ kind: "sqlite", dataDir, synchronous: "NORMAL" });
  await stores.migrate();
  const engine = createEngine({
    stores,
    options: { seed: 7, refreshIntervalMs: 0, defaultRewardIntervalMs: 0, flushIntervalMs: 1 },
  });
  await engine.start();
  const keyService = createKeyService(stores.keyStore);
  const secret = async (scope: "admin" | "decide" | "read") =>
    (await keyService.create({ name: scope, scopes: [scope] })).secret;
  const auth = {
    admin: bearer(await secret("admin")),
    decide: bearer(await secret("decide")),
    read: bearer(await secret("read")),
  };
  const metrics = createMetrics();
  const evaluations = createEvaluationService({ stores });
  const ads = createAdsService(stores, engine, NO_AMAZON_ADS);
  const app = await buildApp(
    {
      service: engine,
      keys: keyService,
      metrics,
      evaluations,
      loopStore: stores.loopStore,
      ads,
      ...(logger === undefined ? {} : { logger }),
    },
    options,
  );
  await app.ready();
  let closed = false;
  return {
    app,
    engine,
    stores,
    keyService,
    metrics,
    evaluations,
    ads,
    auth,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await evaluations.close();
      await engine.close().catch(() => undefined); // a test may have closed the stores under it
      await stores.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A bernoulli experiment with arms a, b, c (b has a JSON value). */
export function experimentBody(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    reward: "bernoulli",
    arms: [{ id: "a" }, { id: "b", label: "B", value: { multiplier: 1.2 } }, { id: "c" }],
    ...extra,
  };
}

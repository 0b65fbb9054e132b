import type { FastifyInstance } from "fastify";
import { AdsScheduler, type AdsSchedulerOptions } from "../../../../src/apps/ads/service/ads-scheduler.js";
import type { AdsService, AdsServiceOptions } from "../../../../src/apps/ads/service/ads-service.js";
import { createAdsService } from "../../../../src/apps/ads/service/create-ads-service.js";
import { createKeyService } from "../../../../src/auth/key-service.js";
import { createEngine, type Engine } from "../../../../src/engine/engine.js";
import { buildApp } from "../../../../src/http/build-app.js";
import { createMetrics } from "../../../../src/http/metrics.js";
import { createRng } from "../../../../src/stats/rng.js";
import type { Stores } from "../../../../src/stores/stores.js";
import { type AdsEnv, startAdsEnv } from "./ads-env.js";

export interface ServiceEnv {
  ads: AdsEnv;
  engine: Engine;
  service: AdsService;
  app: FastifyInstance;
  admin: Record<string, string>;
  read: Record<string, string>;
  /** A second service (another "instance") on the same stores, e.g. for a second scheduler. */
  newService(extra?: Partial<AdsServiceOptions>, on?: { stores: Stores; engine: Engine }): AdsService;
  scheduler(service: AdsService, options?: Partial<AdsSchedulerOptions>): AdsScheduler;
  close(): Promise<void>;
}

/**
 * The ads service for real: a simulated marketplace behind the local Amazon Ads server on a
 * loopback port, the Amazon Ads client on a virtual clock, the decision engine and the HTTP app
 * on the given (migrated) stores. The service's "today" is the simulator's day.
 */
export async function startServiceEnv(
  stores: Stores,
  options: {
    days?: number;
    seed?: number;
    keywordsPerAdGroup?: number;
    service?: Partial<AdsServiceOptions>;
  } = {},
): Promise<ServiceEnv> {
  const ads = await startAdsEnv({
    days: options.days ?? 35,
    marketplace: {
      seed: options.seed ?? 21,
      size: { campaigns: 2, adGroupsPerCampaign: 2, keywordsPerAdGroup: options.keywordsPerAdGroup ?? 5 },
    },
    fake: { reportDelayMs: 2000 },
  });
  const engine = createEngine({
    stores,
    options: { seed: 3, refreshIntervalMs: 0, defaultRewardIntervalMs: 0, flushIntervalMs: 1 },
  });
  await engine.start();
  const newService = (
    extra: Partial<AdsServiceOptions> = {},
    on: { stores: Stores; engine: Engine } = { stores, engine },
  ) =>
    createAdsService(
      on.stores,
      on.engine,
      {
        clientId: ads.fake.client.clientId,
        clientSecret: ads.fake.client.clientSecret,
        refreshToken: ads.fake.client.refreshTokens[0]!,
        region: "NA",
        apiBaseUrl: ads.baseUrl,
        tokenUrl: ads.tokenUrl,
        clientOptions: {
          clock: ads.clock,
          rng: createRng(9),
          reportPolling: { initialIntervalMs: 1000, maxIntervalMs: 5000 },
        },
      },
      { now: ads.clock.now, today: () => ads.marketplace.today, ...options.service, ...extra },
    );
  const service = newService();
  const keys = createKeyService(stores.keyStore);
  const secret = async (scope: "admin" | "read") => (await keys.create({ name: scope, scopes: [scope] })).secret;
  const admin = { authorization: `Bearer ${await secret("admin")}` };
  const read = { authorization: `Bearer ${await secret("read")}` };
  const app = await buildApp({ service: engine, keys, metrics: createMetrics(), ads: service }, { docs: false });
  await app.ready();
  const schedulers: AdsScheduler[] = [];
  return {
    ads,
    engine,
    service,
    app,
    admin,
    read,
    newService,
    scheduler(s, extra = {}) {
      const scheduler = new AdsScheduler({ service: s, ...extra });
      schedulers.push(scheduler);
      return scheduler;
    },
    async close() {
      for (const s of schedulers) await s.stop().catch(() => undefined);
      await app.close();
      await engine.close();
      await ads.close();
    },
  };
}

import type { AdsConnection } from "../apps/ads/service/ads-clients.js";
import type { AdsService, AdsServiceOptions } from "../apps/ads/service/ads-service.js";
import { configuredAdsConnection } from "../apps/ads/service/configured-ads-connection.js";
import { createAdsService } from "../apps/ads/service/create-ads-service.js";
import type { Config } from "../config.js";
import { createEngine } from "../engine/engine.js";
import { withStores } from "./with-stores.js";

/**
 * Runs work with the ads service on the configuration's stores and a decision engine of its own
 * (no background refresh: a command is short), flushing the engine before the stores close.
 */
export async function withAdsService<T>(
  config: Config,
  work: (ads: AdsService) => Promise<T>,
  options: { connection?: AdsConnection; service?: Partial<AdsServiceOptions> } = {},
): Promise<T> {
  return withStores(config, async (stores) => {
    const engine = createEngine({ stores, options: { refreshIntervalMs: 0, defaultRewardIntervalMs: 0 } });
    await engine.start();
    try {
      return await work(
        createAdsService(stores, engine, options.connection ?? configuredAdsConnection(config), options.service),
      );
    } finally {
      await engine.close();
    }
  });
}

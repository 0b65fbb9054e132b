import type { DecisionService } from "../../../engine/decision-service.js";
import type { Stores } from "../../../stores/stores.js";
import { AdsOptimizer } from "../optimizer/ads-optimizer.js";
import { AdsClients, type AdsConnection } from "./ads-clients.js";
import { AdsService, type AdsServiceOptions } from "./ads-service.js";

/** The ads service on the stores and the decision engine, with the real optimizer. */
export function createAdsService(
  stores: Pick<Stores, "adsStore" | "eventStore">,
  decisions: DecisionService,
  connection: AdsConnection,
  options: Partial<Omit<AdsServiceOptions, "store" | "decisions" | "decisionLog" | "clients">> = {},
): AdsService {
  return new AdsService({
    optimizer: new AdsOptimizer({ decisions, decisionLog: stores.eventStore }),
    ...options,
    store: stores.adsStore,
    decisions,
    decisionLog: stores.eventStore,
    clients: new AdsClients(connection),
  });
}

import type { KeyService } from "../auth/key-service.js";
import type { DecisionService } from "../engine/decision-service.js";
import type { Scope } from "../stores/stores.js";
import type { Metrics } from "./metrics.js";
import "./route-config.js";

/** What the route plugins need: narrow services, nothing else. */
export interface RouteDeps {
  service: DecisionService;
  keys: KeyService;
  metrics: Metrics;
}

/** Route config and OpenAPI security for a scope. */
export function guarded(scope: Scope, extra: { experimentParam?: boolean; unboundOnly?: boolean } = {}) {
  return { config: { scope, ...extra }, security: [{ bearerAuth: [] }] };
}

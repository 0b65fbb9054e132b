import type { KeyService } from "../../auth/key-service.js";
import type { PersonalizerErrorCode } from "../../personalizer/personalizer-errors.js";
import type { Scope } from "../../stores/stores.js";
import { personalizerAuth } from "./personalizer-auth.js";
import "./personalizer-route-config.js";

/** A Personalizer route's auth hook (scope) and bad-request code. */
export function routeOptions(keys: KeyService, scope: Scope, code: PersonalizerErrorCode) {
  return { onRequest: personalizerAuth(keys, scope), config: { personalizerCode: code } };
}

import type { LoggedDecisions } from "../../stats/evaluation/logged-decisions.js";
import type { ObdLogs } from "./load-obd-logs.js";

/** OBD logs as estimator input: action = item id, reward = click, position slot = position − 1. */
export function obdLoggedDecisions(logs: ObdLogs): LoggedDecisions {
  return {
    actions: logs.itemIds,
    rewards: logs.clicks,
    propensities: logs.propensities,
    positions: logs.positions.map((p) => p - 1),
  };
}

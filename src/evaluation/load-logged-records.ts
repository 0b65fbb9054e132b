import type { EventStore, ExperimentRecord } from "../stores/stores.js";
import type { LoggedRecord } from "./logged-record.js";

/**
 * The experiment's logged decisions with createdAt in [from, to), in creation order, each with
 * the reward it counts with (see LoggedRecord). Reads the store page by page (exportDecisions).
 */
export async function loadLoggedRecords(
  eventStore: Pick<EventStore, "exportDecisions">,
  experiment: ExperimentRecord,
  from: number,
  to: number,
): Promise<LoggedRecord[]> {
  const out: LoggedRecord[] = [];
  const waitMs = (experiment.rewardWaitSeconds ?? 0) * 1000;
  const fallback = experiment.defaultReward ?? 0;
  for await (const d of eventStore.exportDecisions(experiment.id, { from, to })) {
    let reward = fallback;
    let learnAt = d.createdAt + waitMs;
    if (d.rewards.length > 0) {
      reward =
        experiment.rewardAggregation === "sum" ? d.rewards.reduce((s, r) => s + r.value, 0) : d.rewards[0]!.value;
      learnAt = d.rewards[0]!.createdAt;
    }
    out.push({
      eventId: d.eventId,
      createdAt: d.createdAt,
      segment: d.segment,
      armId: d.armId,
      propensity: d.propensity,
      reward,
      learnAt,
      features: d.features ?? null,
    });
  }
  return out;
}

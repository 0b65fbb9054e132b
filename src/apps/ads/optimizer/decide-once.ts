import { isBanditryError } from "../../../domain/errors.js";
import type { Experiment } from "../../../domain/experiment.js";
import type { EventStore } from "../../../stores/stores.js";
import type { BanditService } from "./bandit-experiment.js";

/** Reads logged decisions back (the event store), for a re-run of the same plan. */
export type DecisionLog = Pick<EventStore, "getDecisions">;

export interface ArmChoice {
  armId: string;
  multiplier: number;
  segment: string;
  /** The decision was already logged by an earlier run of the same plan. */
  reused: boolean;
}

/**
 * A deferred (activate: false) decision under a deterministic event id; when that id is already
 * logged (the plan is being re-run) the logged decision is returned instead of deciding again,
 * so a plan never decides twice and a re-run proposes the same arms.
 */
export async function decideOnce(
  service: BanditService,
  log: DecisionLog,
  experiment: Experiment,
  eventId: string,
  context: Record<string, string>,
): Promise<ArmChoice> {
  const multiplierOf = (armId: string): number => {
    const value = experiment.arms.find((a) => a.id === armId)?.value as { multiplier?: unknown } | undefined;
    return typeof value?.multiplier === "number" ? value.multiplier : 1;
  };
  try {
    const d = await service.decide({ experimentId: experiment.id, eventId, context, activate: false });
    return { armId: d.arm.id, multiplier: multiplierOf(d.arm.id), segment: d.segment, reused: false };
  } catch (e) {
    if (!isBanditryError(e) || e.code !== "BANDITRY_EVENT_EXISTS") throw e;
    const logged = (await log.getDecisions([eventId])).get(eventId);
    if (!logged) throw e;
    return { armId: logged.armId, multiplier: multiplierOf(logged.armId), segment: logged.segment, reused: true };
  }
}

import type { Selectable } from "kysely";
import type { Decision, DecisionFeatures, RankedArm } from "../domain/decision.js";
import type { Group } from "../domain/experiment.js";
import type { DecisionsTable } from "./database.js";

/**
 * The decision columns as written at insert time (reward_count starts at 0); `features` is the
 * features column as FeatureTextLog.rowText wrote it.
 */
export function decisionToRow(
  d: Decision,
  rewardWaitMs: number | undefined,
  features: string | null,
): Selectable<DecisionsTable> {
  return {
    event_id: d.eventId,
    experiment_id: d.experimentId,
    segment: d.segment,
    context: d.context === null ? null : JSON.stringify(d.context),
    unit_id: d.unitId,
    arm_id: d.armId,
    ranking: d.rankingText ?? (d.ranking === null ? null : JSON.stringify(d.ranking)),
    propensity: d.propensity,
    grp: d.group,
    seed: d.seed,
    activated: d.activated ? 1 : 0,
    created_at: d.createdAt,
    reward_count: 0,
    // rounded up: due at or after the wait, and the column holds whole milliseconds
    default_due_at: rewardWaitMs === undefined ? null : Math.ceil(d.createdAt + rewardWaitMs),
    features,
  };
}

/** The decision of a row, with its features as FeatureTextLog.readFeatures read them. */
export function decisionFromRow(row: Selectable<DecisionsTable>, features: DecisionFeatures | null): Decision {
  return {
    eventId: row.event_id,
    experimentId: row.experiment_id,
    segment: row.segment,
    context: row.context === null ? null : (JSON.parse(row.context) as Record<string, unknown>),
    unitId: row.unit_id,
    armId: row.arm_id,
    ranking: row.ranking === null ? null : (JSON.parse(row.ranking) as RankedArm[]),
    propensity: row.propensity,
    group: row.grp as Group,
    seed: row.seed,
    activated: row.activated !== 0,
    createdAt: row.created_at,
    features,
  };
}

import { invalid, readArray, readObject, readString } from "../domain/validate.js";
import {
  MAX_ID_LENGTH,
  MAX_SLOTS,
  type RankableAction,
  readActions,
  readDeferActivation,
  readEventId,
  readExcluded,
  readFeatures,
} from "./rank-request.js";

export interface SlotRequest {
  id: string;
  features: unknown;
  excludedActions: string[];
  baselineAction: string;
}

export interface MultiSlotRankRequest {
  contextFeatures: unknown;
  actions: RankableAction[];
  slots: SlotRequest[];
  eventId: string | undefined;
  deferActivation: boolean;
}

/**
 * Validates a multislot/rank body: slot ids unique, each slot's baselineAction an offered action,
 * not excluded by the slot and unique across slots; no more slots than actions.
 */
export function readMultiSlotRankRequest(body: unknown): MultiSlotRankRequest {
  const o = readObject(body, "body");
  const actions = readActions(o.actions);
  const offered = new Set(actions.map((a) => a.id));
  const list = readArray(o.slots, "slots", { min: 1, max: MAX_SLOTS });
  if (list.length > actions.length) {
    invalid("slots", `has ${list.length} slots but only ${actions.length} actions: each slot needs its own action`);
  }
  const ids = new Set<string>();
  const baselines = new Set<string>();
  const slots = list.map((item, i): SlotRequest => {
    const s = readObject(item, `slots[${i}]`);
    const id = readString(s.id, `slots[${i}].id`, { max: MAX_ID_LENGTH });
    if (ids.has(id)) invalid(`slots[${i}].id`, `repeats the slot id ${JSON.stringify(id)}`);
    ids.add(id);
    const excludedActions = readExcluded(s.excludedActions, `slots[${i}].excludedActions`, offered);
    const baselineAction = readString(s.baselineAction, `slots[${i}].baselineAction`, { max: MAX_ID_LENGTH });
    if (!offered.has(baselineAction)) {
      invalid(`slots[${i}].baselineAction`, `names no offered action: ${JSON.stringify(baselineAction)}`);
    }
    if (excludedActions.includes(baselineAction)) {
      invalid(`slots[${i}].baselineAction`, "must not be among the slot's excludedActions");
    }
    if (baselines.has(baselineAction)) {
      invalid(
        `slots[${i}].baselineAction`,
        `is already the baseline of another slot: ${JSON.stringify(baselineAction)}`,
      );
    }
    baselines.add(baselineAction);
    return { id, features: readFeatures(s.features, `slots[${i}].features`), excludedActions, baselineAction };
  });
  return {
    contextFeatures: readFeatures(o.contextFeatures, "contextFeatures"),
    actions,
    slots,
    eventId: readEventId(o.eventId),
    deferActivation: readDeferActivation(o.deferActivation),
  };
}

/** A multislot reward body {reward: [{slotId, value}]}. */
export function readMultiSlotReward(body: unknown): { slotId: string; value: number }[] {
  const o = readObject(body, "body");
  const list = readArray(o.reward, "reward", { min: 1, max: MAX_SLOTS });
  return list.map((item, i) => {
    const r = readObject(item, `reward[${i}]`);
    return {
      slotId: readString(r.slotId, `reward[${i}].slotId`, { max: MAX_ID_LENGTH }),
      value: readRewardValue(r.value, `reward[${i}].value`),
    };
  });
}

/** Personalizer's reward range. */
export function readRewardValue(v: unknown, field: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < -1 || v > 1) {
    invalid(field, `must be a number between -1 and 1, got ${JSON.stringify(v) ?? String(v)}`);
  }
  return v;
}

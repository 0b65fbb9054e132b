import { isBanditryError } from "../../domain/errors.js";
import type { ExperimentRecord, ExperimentStore } from "../../stores/stores.js";
import { armStates } from "./arm-states.js";

/**
 * Adds an arm for every offered action id the experiment does not know yet (Personalizer
 * creates actions on first sight) and returns the record that has them all. Two requests (or
 * two instances) may see the same new id at once: BANDITRY_ARM_EXISTS means another one added
 * it, so the record is read again instead of failing.
 */
export async function ensureActionArms(
  record: ExperimentRecord,
  ids: readonly string[],
  store: Pick<ExperimentStore, "addArm" | "get">,
  now: number,
): Promise<ExperimentRecord> {
  const known = armStates(record);
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length === 0) return record;
  let latest = record;
  let reload = false;
  for (const id of missing) {
    try {
      latest = await store.addArm(record.id, { id, label: null, value: null, state: "active", createdAt: now }, now);
    } catch (e) {
      if (!isBanditryError(e) || e.code !== "BANDITRY_ARM_EXISTS") throw e;
      reload = true;
    }
  }
  if (reload || !hasAll(latest, ids)) latest = (await store.get(record.id)) ?? latest;
  return latest;
}

function hasAll(record: ExperimentRecord, ids: readonly string[]): boolean {
  const known = armStates(record);
  return ids.every((id) => known.has(id));
}

import type { ArmState } from "../../domain/experiment.js";
import type { ExperimentRecord } from "../../stores/stores.js";

const byRecord = new WeakMap<ExperimentRecord, ReadonlyMap<string, ArmState>>();

/**
 * Each arm's state by id, built once per record object (records are replaced, never changed,
 * when arms change): a loop's catalog grows with every new action id, and a rank would
 * otherwise index all of it to look up the few offered ones.
 */
export function armStates(record: ExperimentRecord): ReadonlyMap<string, ArmState> {
  let states = byRecord.get(record);
  if (states === undefined) {
    states = new Map(record.arms.map((a) => [a.id, a.state]));
    byRecord.set(record, states);
  }
  return states;
}

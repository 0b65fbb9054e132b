import type { Experiment } from "../domain/experiment.js";
import { invalid, readBoolean, readNumber, readObject, readString } from "../domain/validate.js";
import type { ExperimentUpdate } from "../engine/decision-service.js";
import { loopMetadata, withLoopMetadata } from "./loop-metadata.js";
import { parseDuration } from "./personalizer-duration.js";
import { LEARNING_MODES, MAX_REWARD_WAIT_SECONDS, MIN_REWARD_WAIT_SECONDS } from "./service-configuration.js";

function lowerEnum<T extends string>(v: unknown, field: string, values: readonly T[]): T {
  const found = typeof v === "string" ? values.find((x) => x.toLowerCase() === v.toLowerCase()) : undefined;
  if (found === undefined) {
    invalid(field, `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}, got ${JSON.stringify(v)}`);
  }
  return found;
}

function isoDate(v: unknown, field: string): string {
  const text = readString(v, field, { max: 64 });
  const t = Date.parse(text);
  if (!Number.isFinite(t)) invalid(field, `must be a date such as "2026-01-19T00:00:00Z", got ${JSON.stringify(text)}`);
  return new Date(t).toISOString();
}

/**
 * A PUT configurations/service body → the experiment update. The fields Personalizer requires
 * are required; an optional field left out keeps its current value. Unknown fields are ignored,
 * as Personalizer did. Throws BANDITRY_VALIDATION naming the field.
 */
export function serviceConfigurationUpdate(body: unknown, current: Experiment, now: number): ExperimentUpdate {
  const o = readObject(body, "body");
  const wait = parseDuration(o.rewardWaitTime, "rewardWaitTime");
  if (wait < MIN_REWARD_WAIT_SECONDS || wait > MAX_REWARD_WAIT_SECONDS) {
    invalid("rewardWaitTime", `must be between 5 seconds and 2 days, got ${JSON.stringify(o.rewardWaitTime)}`);
  }
  const defaultReward = readNumber(o.defaultReward, "defaultReward", { min: -1, max: 1 });
  const rewardAggregation = lowerEnum(o.rewardAggregation, "rewardAggregation", ["earliest", "sum"] as const);
  const explorationShare = readNumber(o.explorationPercentage, "explorationPercentage", { min: 0, max: 1 });
  const meta = { ...loopMetadata(current) };
  meta.modelExportFrequencySeconds = parseDuration(o.modelExportFrequency, "modelExportFrequency");
  meta.logRetentionDays = readNumber(o.logRetentionDays, "logRetentionDays", { integer: true, min: -1, max: 36_500 });
  if (o.isAutoOptimizationEnabled !== undefined && o.isAutoOptimizationEnabled !== null) {
    meta.isAutoOptimizationEnabled = readBoolean(o.isAutoOptimizationEnabled, "isAutoOptimizationEnabled");
  }
  if (o.autoOptimizationFrequency !== undefined && o.autoOptimizationFrequency !== null) {
    meta.autoOptimizationFrequencySeconds = parseDuration(o.autoOptimizationFrequency, "autoOptimizationFrequency");
  }
  if (o.autoOptimizationStartDate !== undefined && o.autoOptimizationStartDate !== null) {
    meta.autoOptimizationStartDate = isoDate(o.autoOptimizationStartDate, "autoOptimizationStartDate");
  }
  if (o.logMirrorEnabled !== undefined && o.logMirrorEnabled !== null) {
    meta.logMirrorEnabled = readBoolean(o.logMirrorEnabled, "logMirrorEnabled");
  }
  if (o.logMirrorSasUri !== undefined && o.logMirrorSasUri !== null) {
    meta.logMirrorSasUri = readString(o.logMirrorSasUri, "logMirrorSasUri", { min: 0, max: 2048 });
  }
  if (o.isInferenceExplainabilityEnabled !== undefined && o.isInferenceExplainabilityEnabled !== null) {
    meta.isInferenceExplainabilityEnabled = readBoolean(
      o.isInferenceExplainabilityEnabled,
      "isInferenceExplainabilityEnabled",
    );
  }
  meta.lastConfigurationEditDate = new Date(now).toISOString();
  const update: ExperimentUpdate = {
    rewardWaitSeconds: wait,
    defaultReward,
    rewardAggregation,
    explorationShare,
    metadata: withLoopMetadata(current, meta),
  };
  if (o.learningMode !== undefined && o.learningMode !== null) {
    const mode = lowerEnum(
      o.learningMode,
      "learningMode",
      Object.keys(LEARNING_MODES) as (keyof typeof LEARNING_MODES)[],
    );
    update.learningMode = LEARNING_MODES[mode];
  }
  return update;
}

import type { Experiment } from "../domain/experiment.js";
import { loopMetadata } from "./loop-metadata.js";
import { type DurationStyle, formatDuration } from "./personalizer-duration.js";
import { DEFAULT_LOOP_SETTINGS, LEARNING_MODES, type ServiceConfiguration } from "./service-configuration.js";

const MODE_NAMES = Object.fromEntries(Object.entries(LEARNING_MODES).map(([k, v]) => [v, k])) as Record<
  string,
  ServiceConfiguration["learningMode"]
>;

/** A loop's settings as Personalizer's ServiceConfiguration, durations in the style of the API version asked. */
export function serviceConfigurationOf(experiment: Experiment, style: DurationStyle): ServiceConfiguration {
  const meta = loopMetadata(experiment);
  const config: ServiceConfiguration = {
    rewardWaitTime: formatDuration(experiment.rewardWaitSeconds ?? DEFAULT_LOOP_SETTINGS.rewardWaitSeconds, style),
    defaultReward: experiment.defaultReward ?? DEFAULT_LOOP_SETTINGS.defaultReward,
    rewardAggregation: experiment.rewardAggregation,
    explorationPercentage: experiment.explorationShare ?? DEFAULT_LOOP_SETTINGS.explorationShare,
    modelExportFrequency: formatDuration(meta.modelExportFrequencySeconds, style),
    logRetentionDays: meta.logRetentionDays,
    lastConfigurationEditDate: meta.lastConfigurationEditDate,
    learningMode: MODE_NAMES[experiment.learningMode ?? "online"] ?? "Online",
    isAutoOptimizationEnabled: meta.isAutoOptimizationEnabled,
    isInferenceExplainabilityEnabled: meta.isInferenceExplainabilityEnabled,
  };
  if (meta.autoOptimizationFrequencySeconds !== null) {
    config.autoOptimizationFrequency = formatDuration(meta.autoOptimizationFrequencySeconds, style);
  }
  if (meta.autoOptimizationStartDate !== null) config.autoOptimizationStartDate = meta.autoOptimizationStartDate;
  if (meta.logMirrorEnabled !== null) config.logMirrorEnabled = meta.logMirrorEnabled;
  if (meta.logMirrorSasUri !== null) config.logMirrorSasUri = meta.logMirrorSasUri;
  return config;
}

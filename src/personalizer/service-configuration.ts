/** Personalizer's ServiceConfiguration, as the clients send and read it. */
export interface ServiceConfiguration {
  rewardWaitTime: string;
  defaultReward: number;
  rewardAggregation: string;
  explorationPercentage: number;
  modelExportFrequency: string;
  logRetentionDays: number;
  lastConfigurationEditDate?: string;
  learningMode?: "Online" | "Apprentice" | "LoggingOnly";
  isAutoOptimizationEnabled?: boolean;
  autoOptimizationFrequency?: string;
  autoOptimizationStartDate?: string;
  logMirrorEnabled?: boolean;
  logMirrorSasUri?: string;
  isInferenceExplainabilityEnabled?: boolean;
}

export const LEARNING_MODES = {
  Online: "online",
  Apprentice: "apprentice",
  LoggingOnly: "loggingOnly",
} as const;

/** A new loop's settings (Personalizer's defaults). */
export const DEFAULT_LOOP_SETTINGS = {
  rewardWaitSeconds: 600,
  defaultReward: 0,
  rewardAggregation: "earliest",
  explorationShare: 0.2,
  learningMode: "online",
} as const;

/** Personalizer's documented bounds of rewardWaitTime. */
export const MIN_REWARD_WAIT_SECONDS = 5;
export const MAX_REWARD_WAIT_SECONDS = 2 * 86_400;

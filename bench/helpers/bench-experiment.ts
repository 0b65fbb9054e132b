import type { ExperimentRecord } from "../../src/stores/stores.js";

/** A Bernoulli Thompson-sampling experiment record with `arms` active arms arm-0…, for benches. */
export function benchExperiment(id: string, arms: number, overrides: Partial<ExperimentRecord> = {}): ExperimentRecord {
  return {
    id,
    name: id,
    status: "active",
    arms: Array.from({ length: arms }, (_, i) => ({
      id: `arm-${i}`,
      label: null,
      value: null,
      state: "active" as const,
      createdAt: 0,
    })),
    reward: "bernoulli",
    policy: "thompson",
    policyOptions: {},
    prior: { alpha: 1, beta: 1 },
    decayHalfLife: null,
    segmentKeys: [],
    segmentPseudoCount: 10,
    control: null,
    rewardWaitSeconds: null,
    defaultReward: null,
    rewardAggregation: "earliest",
    context: "segments",
    linear: null,
    explorationShare: 0,
    learningMode: "online",
    metadata: {},
    createdAt: 0,
    updatedAt: 0,
    decayLandmark: 0,
    ...overrides,
  };
}

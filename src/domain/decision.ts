import type { Group } from "./experiment.js";

export interface RankedArm {
  armId: string;
  /** Probability that this arm is chosen first (the propensity of the logged choice). */
  probability: number;
}

/** One logged answer of the engine. Times are epoch milliseconds. */
export interface Decision {
  eventId: string;
  experimentId: string;
  /** Segment key ("*" when the experiment has no segment keys). */
  segment: string;
  context: Record<string, unknown> | null;
  unitId: string | null;
  armId: string;
  /** The ranking of k arms when k > 1 was asked for, or when propensities were computed. */
  ranking: RankedArm[] | null;
  /** JSON.stringify(ranking), when the decision made it already (another thread: the log writes it as is). */
  rankingText?: string;
  /**
   * Selection probability of armId: exact for uniform, epsilon-greedy and control decisions,
   * Monte Carlo when a ranking or propensities were asked for, null otherwise (computing it
   * costs hundreds of posterior draws, too much for every decision).
   */
  propensity: number | null;
  group: Group;
  /** Seed of the rng that produced this decision: replaying it reproduces the draw. */
  seed: number;
  activated: boolean;
  createdAt: number;
  /**
   * Linear experiments: what the model saw (the context features and the offered actions with
   * their features), so a reward can be learned from later, by any instance, and the log can be
   * replayed for offline evaluation. Absent or null for other experiments.
   */
  features?: DecisionFeatures | null;
  /** JSON.stringify(features), when the decision made it already (the log writes it as is). */
  featuresText?: string;
  /**
   * Where each action's `"features":…` member sits in featuresText: start and end offsets per
   * action, in order, -1 and -1 for an action without features. With them the log stores an
   * action's features once per experiment and refers to them (FeatureTextLog).
   */
  featureSpans?: number[];
  /**
   * With featureSpans: per action, the digest of its features text (FeatureTextDigests), under
   * which the log stores the text once, or null to leave it inline. Made where the texts were
   * made, with FeatureTextDigests: the log does not check a digest against its text.
   */
  featureDigests?: (string | null)[];
}

/** The inputs of a linear decision, as logged. */
export interface DecisionFeatures {
  /** Personalizer's contextFeatures (nested JSON: an object or a list of namespace objects). */
  context: unknown;
  /** Every offered action, excluded ones too, in the order offered. */
  actions: { id: string; features?: unknown }[];
  /** Ids that could not be chosen. */
  excluded?: string[];
  /** The arm the model itself would have chosen when it did not choose (apprentice / logging-only modes). */
  modelArmId?: string;
}

export interface Reward {
  eventId: string;
  value: number;
  createdAt: number;
  /** True when applied by the reward wait time rather than sent by a client. */
  isDefault: boolean;
}

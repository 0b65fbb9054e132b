import { randomBytes } from "node:crypto";
import type { Decision, DecisionFeatures } from "../../src/domain/decision.js";
import type { Group } from "../../src/domain/experiment.js";
import type { FeatureTextDigests } from "../../src/domain/feature-text-digests.js";
import { decisionFeaturesText } from "../../src/engine/linear/decision-features-text.js";
import type { CommitBatch, Evidence, ExperimentRecord, RewardOp } from "../../src/stores/stores.js";

const RUN = randomBytes(3).toString("hex");
let counter = 0;

/** Ids unique within the run: the tests of one PostgreSQL file share a database. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${RUN}-${counter}`;
}

export function experiment(id: string, overrides: Partial<ExperimentRecord> = {}): ExperimentRecord {
  return {
    id,
    name: `experiment ${id}`,
    status: "active",
    arms: [
      { id: "a", label: "Arm A", value: { multiplier: 1.2 }, state: "active", createdAt: 1000 },
      { id: "b", label: null, value: null, state: "active", createdAt: 1000 },
    ],
    createdAt: 1000,
    updatedAt: 1000,
    decayLandmark: 1000,
    reward: "bernoulli",
    policy: "thompson",
    policyOptions: {},
    prior: { alpha: 1, beta: 1 },
    decayHalfLife: null,
    segmentKeys: ["country"],
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
    ...overrides,
  };
}

export function decision(eventId: string, experimentId: string, overrides: Partial<Decision> = {}): Decision {
  return {
    eventId,
    experimentId,
    segment: "country=de",
    context: { country: "de", visits: 3 },
    unitId: "user-1",
    armId: "a",
    ranking: null,
    propensity: 0.5,
    group: "bandit",
    seed: 12345,
    activated: true,
    features: null,
    createdAt: 2000,
    ...overrides,
  };
}

/** A reward op for decision d; evidence defaults to (1, value, value²) — exact in binary. */
export function rewardOp(
  d: Pick<Decision, "eventId" | "experimentId" | "segment" | "armId" | "group">,
  value: number,
  overrides: Partial<RewardOp> = {},
): RewardOp {
  return {
    eventId: d.eventId,
    experimentId: d.experimentId,
    segment: d.segment,
    armId: d.armId,
    group: d.group as Group,
    value,
    isDefault: false,
    createdAt: 3000,
    aggregation: "earliest",
    evidence: { n: 1, s1: value, s2: value * value },
    ...overrides,
  };
}

export function batch(parts: Partial<CommitBatch>): CommitBatch {
  return { decisions: [], rewards: [], activations: [], now: 5000, rewardWaitMs: {}, ...parts };
}

export function sumEvidence(items: readonly Evidence[]): Evidence {
  return items.reduce((a, e) => ({ n: a.n + e.n, s1: a.s1 + e.s1, s2: a.s2 + e.s2 }), { n: 0, s1: 0, s2: 0 });
}

/** Features of a rank over a small catalog: three actions (one without features), texts unique to the test. */
export function catalogFeatures(): DecisionFeatures {
  const tag = uid("catalog");
  return {
    context: [{ user: { type: "new", tag } }],
    actions: [
      { id: "a", features: [{ topic: { name: "news", tag } }, { price: 2 }] },
      { id: "b" },
      { id: 'c"quoted', features: { "é✓": [1, 2.5, null, true], tag } },
    ],
    excluded: ["b"],
  };
}

/**
 * A decision as a rank logs it: its features' text and where each action's features sit in it;
 * with `digests`, also each action text's digest, as the engine and the rank thread give them.
 */
export function ranked(
  experimentId: string,
  features: DecisionFeatures,
  overrides: Partial<Decision> = {},
  digests?: FeatureTextDigests,
): Decision {
  const featureSpans: number[] = [];
  const texts = {
    context: JSON.stringify(features.context),
    actions: features.actions.map((a) => (a.features === undefined ? "null" : JSON.stringify(a.features))),
  };
  const featuresText = decisionFeaturesText(features, texts, featureSpans);
  const featureDigests = digests?.of(texts.actions, featureSpans);
  return decision(uid("ev"), experimentId, {
    features,
    featuresText,
    featureSpans,
    ...(featureDigests === undefined ? {} : { featureDigests }),
    ...overrides,
  });
}

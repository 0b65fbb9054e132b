import { ID_PATTERN, MAX_ARMS } from "../../domain/validate-experiment.js";
import { POLICY_KINDS } from "../../stats/policies/registry.js";

/*
 * Request schemas check shape (types, required and unknown fields) and document the API;
 * the engine's validation (src/domain/validate-experiment.ts) stays the authority on ranges.
 */

const ID = { type: "string", minLength: 1, maxLength: 256 } as const;
const EXPERIMENT_ID = { type: "string", minLength: 1, maxLength: 128, pattern: ID_PATTERN.source } as const;
const nullableNumber = { type: "number", nullable: true } as const;

/** Arbitrary JSON attached to an arm, passed through as is. */
const anyJson = { description: "Any JSON value" } as const;

const armInput = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: {
    id: ID,
    label: { type: "string", nullable: true, maxLength: 256 },
    value: anyJson,
  },
} as const;

const priorInput = {
  type: "object",
  additionalProperties: false,
  description: "bernoulli: {alpha, beta}; gaussian: {mu, kappa, alpha, beta}",
  properties: {
    alpha: { type: "number" },
    beta: { type: "number" },
    mu: { type: "number" },
    kappa: { type: "number" },
  },
} as const;

const controlInput = {
  type: "object",
  nullable: true,
  required: ["share"],
  additionalProperties: false,
  description: "A holdout share served by a uniform policy or a fixed arm",
  properties: {
    share: { type: "number", minimum: 0, maximum: 1 },
    policy: { type: "string", enum: ["uniform"] },
    arm: ID,
  },
} as const;

/** Everything of an experiment's configuration that can be changed after creation. */
const mutableProperties = {
  name: { type: "string", minLength: 1, maxLength: 256 },
  policy: { type: "string", enum: POLICY_KINDS },
  policyOptions: {
    type: "object",
    additionalProperties: false,
    properties: { epsilon: { type: "number" }, topTwoBeta: { type: "number" }, ucbC: { type: "number" } },
  },
  prior: priorInput,
  decayHalfLife: { ...nullableNumber, description: "Seconds; null = stationary" },
  segmentKeys: { type: "array", maxItems: 16, items: { type: "string", minLength: 1, maxLength: 128 } },
  segmentPseudoCount: { type: "number" },
  control: controlInput,
  rewardWaitSeconds: { ...nullableNumber, description: "Seconds until the default reward applies; null = never" },
  defaultReward: nullableNumber,
  rewardAggregation: { type: "string", enum: ["earliest", "sum"] },
  linear: {
    type: "object",
    nullable: true,
    additionalProperties: true,
    description:
      'context "linear" only: LinearThompson options (dimension, lambda, noiseVariance, exploration, interactions, ' +
      "actionIdFeature, hashSeed, draws, …; unset ones keep their defaults). On update the given options are merged " +
      "into the current ones; changing dimension, lambda, noiseVariance, interactions, actionIdFeature or hashSeed " +
      "resets the learned model (the logs stay)",
  },
  explorationShare: {
    type: "number",
    description: "0..1: share of decisions served uniformly at random among the eligible arms",
  },
  learningMode: {
    type: "string",
    enum: ["online", "apprentice", "loggingOnly"],
    description: 'context "linear" only: apprentice and loggingOnly serve the baseline action',
  },
  metadata: { type: "object", additionalProperties: true, description: "Application settings, at most 16 KB of JSON" },
} as const;

export const createExperimentBody = {
  type: "object",
  required: ["id", "arms", "reward"],
  additionalProperties: false,
  properties: {
    id: EXPERIMENT_ID,
    arms: { type: "array", maxItems: MAX_ARMS, items: armInput },
    reward: { type: "string", enum: ["bernoulli", "gaussian"] },
    context: {
      type: "string",
      enum: ["segments", "linear"],
      description:
        "segments (default): segmentKeys pick a segment; linear: a linear model over context and action features (arms may start empty: actions become arms on first sight)",
    },
    ...mutableProperties,
  },
} as const;

export const updateExperimentBody = {
  type: "object",
  additionalProperties: false,
  properties: mutableProperties,
} as const;

export const addArmBody = armInput;

export const armStateBody = {
  type: "object",
  required: ["state"],
  additionalProperties: false,
  properties: { state: { type: "string", enum: ["active", "paused", "retired"] } },
} as const;

export const experimentParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", description: "Experiment id" } },
} as const;

export const armParams = {
  type: "object",
  required: ["id", "armId"],
  properties: { id: { type: "string", description: "Experiment id" }, armId: { type: "string" } },
} as const;

export const listExperimentsQuery = {
  type: "object",
  additionalProperties: false,
  properties: { includeArchived: { type: "string", enum: ["true", "false"] } },
} as const;

const armSchema = {
  type: "object",
  required: ["id", "state"],
  properties: {
    id: { type: "string" },
    label: { type: "string", nullable: true },
    value: anyJson,
    state: { type: "string", enum: ["active", "paused", "retired"] },
    createdAt: { type: "number", description: "Epoch milliseconds" },
  },
} as const;

/** The experiment as the API returns it. Unknown extra fields pass through unchanged. */
export const experimentSchema = {
  $id: "Experiment",
  type: "object",
  required: ["id", "status", "arms", "reward", "policy"],
  additionalProperties: true,
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    status: { type: "string", enum: ["active", "archived"] },
    arms: { type: "array", items: armSchema },
    reward: { type: "string", enum: ["bernoulli", "gaussian"] },
    policy: { type: "string" },
    policyOptions: { type: "object", additionalProperties: true },
    prior: { type: "object", additionalProperties: { type: "number" } },
    decayHalfLife: nullableNumber,
    segmentKeys: { type: "array", items: { type: "string" } },
    segmentPseudoCount: { type: "number" },
    control: {
      type: "object",
      nullable: true,
      properties: { share: { type: "number" }, policy: { type: "string" }, arm: { type: "string" } },
    },
    rewardWaitSeconds: nullableNumber,
    defaultReward: nullableNumber,
    rewardAggregation: { type: "string", enum: ["earliest", "sum"] },
    context: { type: "string", enum: ["segments", "linear"] },
    linear: { type: "object", nullable: true, additionalProperties: true },
    explorationShare: { type: "number" },
    learningMode: { type: "string", enum: ["online", "apprentice", "loggingOnly"] },
    metadata: { type: "object", additionalProperties: true },
    createdAt: { type: "number" },
    updatedAt: { type: "number" },
  },
} as const;

export const experimentRef = { $ref: "Experiment#" } as const;

export const experimentListSchema = {
  type: "object",
  required: ["experiments"],
  properties: { experiments: { type: "array", items: experimentRef } },
} as const;

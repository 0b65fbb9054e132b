/* Request and response schemas of the v1 evaluations routes; the service's validation stays the authority. */

const time = {
  anyOf: [
    // The largest time a Date holds: beyond it, times cannot be compared or printed.
    { type: "integer", minimum: 0, maximum: 8_640_000_000_000_000 },
    { type: "string", minLength: 10, maxLength: 40 },
  ],
  description: "Epoch milliseconds or ISO 8601",
} as const;

export const createEvaluationBody = {
  type: "object",
  required: ["policies"],
  additionalProperties: false,
  properties: {
    name: { type: "string", minLength: 1, maxLength: 256 },
    from: { ...time, description: "First decision time counted (inclusive; default: the beginning)" },
    to: { ...time, description: "End of the decision times counted (exclusive; default: now)" },
    policies: {
      type: "array",
      minItems: 1,
      maxItems: 20,
      description:
        "Candidates. Segment experiments: name thompson, top-two-thompson, ucb1, epsilon-greedy, uniform, " +
        "fixed:<armId> or current; arguments {epsilon, topTwoBeta, ucbC, draws} or '--epsilon 0.2 --draws 500'. " +
        "Linear experiments: any name; arguments linear options (+ epsilon) or a VW command line " +
        "('--epsilon x --lambda x --noise x -b bits -q :: --no-interactions --draws n'; other flags are ignored and listed).",
      items: {
        type: "object",
        required: ["name"],
        additionalProperties: false,
        properties: {
          name: { type: "string", minLength: 1, maxLength: 256 },
          arguments: { anyOf: [{ type: "string", maxLength: 4096 }, { type: "object" }] },
        },
      },
    },
    seed: { type: "integer", minimum: 0, maximum: 4294967295, description: "Seed of the Monte Carlo parts" },
  },
} as const;

export const createEvaluationQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    wait: { type: "string", enum: ["true", "false"], description: "true: answer once the evaluation has finished" },
  },
} as const;

export const evaluationParams = {
  type: "object",
  required: ["evalId"],
  properties: { evalId: { type: "string", minLength: 1, maxLength: 256 } },
} as const;

const num = { type: "number", nullable: true } as const;
const estimate = {
  type: "object",
  nullable: true,
  properties: { value: num, lower: num, upper: num },
  description: "Point estimate and 95% confidence interval",
} as const;
const policy = {
  type: "object",
  properties: { name: { type: "string" }, arguments: { anyOf: [{ type: "string" }, { type: "object" }] } },
} as const;

export const evaluationSchema = {
  type: "object",
  required: ["id", "experimentId", "name", "status", "from", "to", "policies", "createdAt"],
  properties: {
    id: { type: "string" },
    experimentId: { type: "string" },
    name: { type: "string" },
    status: { type: "string", enum: ["pending", "running", "succeeded", "failed"] },
    from: { type: "number" },
    to: { type: "number" },
    policies: { type: "array", items: policy },
    seed: { type: "number" },
    loggedAverageReward: { ...num, description: "The logged policy's own average reward (on-policy value)" },
    loggedAverage: estimate,
    decisions: {
      type: "object",
      nullable: true,
      properties: {
        total: { type: "number" },
        withoutPropensity: { type: "number" },
        withoutFeatures: { type: "number" },
      },
    },
    results: {
      type: "array",
      nullable: true,
      items: {
        type: "object",
        properties: {
          policy,
          events: { type: "number" },
          ips: estimate,
          snips: estimate,
          doublyRobust: estimate,
          ipsEstimatorNumerator: num,
          ipsEstimatorDenominator: num,
          snipsEstimatorDenominator: num,
          effectiveSampleSize: num,
          featureImportance: {
            type: "array",
            items: { type: "object", properties: { name: { type: "string" }, weight: { type: "number" } } },
          },
          ignoredArguments: { type: "array", items: { type: "string" } },
          monteCarloDraws: { type: "number" },
        },
      },
    },
    error: {
      type: "object",
      nullable: true,
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
    createdAt: { type: "number" },
    finishedAt: { type: "number", nullable: true },
  },
} as const;

export const evaluationListSchema = {
  type: "object",
  required: ["evaluations"],
  properties: { evaluations: { type: "array", items: evaluationSchema } },
} as const;

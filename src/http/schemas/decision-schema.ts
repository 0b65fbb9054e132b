export const decideBody = {
  type: "object",
  additionalProperties: false,
  properties: {
    eventId: { type: "string", minLength: 1, maxLength: 256, description: "Client-given id; generated when absent" },
    context: {
      type: "object",
      maxProperties: 256,
      description: "Features of this decision; the experiment's segmentKeys pick its segment",
    },
    unitId: {
      type: "string",
      minLength: 1,
      maxLength: 256,
      description: "E.g. the user; keeps control assignment sticky",
    },
    k: { type: "integer", minimum: 1, maximum: 10_000, description: "Rank k arms instead of choosing one" },
    activate: { type: "boolean", description: "false = counts for learning only once activated" },
    propensities: { type: "boolean", description: "Return selection probabilities even when k = 1" },
  },
} as const;

export const decisionSchema = {
  $id: "Decision",
  type: "object",
  required: ["eventId", "arm", "group"],
  properties: {
    eventId: { type: "string" },
    arm: {
      type: "object",
      required: ["id"],
      properties: { id: { type: "string" }, value: { description: "The arm's JSON value" } },
    },
    ranking: {
      type: "array",
      items: {
        type: "object",
        required: ["armId", "probability"],
        properties: { armId: { type: "string" }, probability: { type: "number" } },
      },
    },
    group: { type: "string", enum: ["bandit", "control"] },
    segment: { type: "string" },
    propensity: {
      type: "number",
      nullable: true,
      description: "Selection probability of the chosen arm (null when it was not computed)",
    },
  },
} as const;

export const eventParams = {
  type: "object",
  required: ["eventId"],
  properties: { eventId: { type: "string" } },
} as const;

export const rewardBody = {
  type: "object",
  required: ["value"],
  additionalProperties: false,
  properties: {
    value: { type: "number", description: "bernoulli: 0..1 (1 = success); gaussian: any real number" },
  },
} as const;

export const MAX_REWARD_BATCH = 10_000;

export const rewardBatchBody = {
  type: "object",
  required: ["rewards"],
  additionalProperties: false,
  properties: {
    rewards: {
      type: "array",
      maxItems: MAX_REWARD_BATCH,
      description: `At most ${MAX_REWARD_BATCH} items; each is checked on its own`,
      // Items are checked one by one by the engine: a bad item gets status "invalid" and
      // does not sink the rest of the batch.
      items: {
        type: "object",
        description: "{eventId: string, value: number}",
        properties: { eventId: { description: "string" }, value: { description: "number" } },
      },
    },
  },
} as const;

export const rewardBatchResponse = {
  type: "object",
  required: ["results"],
  properties: {
    results: {
      type: "array",
      items: {
        type: "object",
        required: ["eventId", "status"],
        properties: {
          eventId: { type: "string" },
          status: { type: "string", enum: ["applied", "stored", "duplicate", "unknown", "invalid"] },
          error: {
            type: "object",
            required: ["code", "message"],
            properties: { code: { type: "string" }, message: { type: "string" }, field: { type: "string" } },
          },
        },
      },
    },
  },
} as const;
export const decisionRef = { $ref: "Decision#" } as const;

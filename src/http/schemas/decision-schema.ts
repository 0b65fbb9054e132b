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
    actions: {
      type: "array",
      maxItems: 256,
      description: 'context "linear": the actions offered (1..256, unique ids); a new id becomes an arm',
      items: {
        type: "object",
        required: ["id"],
        additionalProperties: false,
        properties: {
          id: { type: "string", minLength: 1, maxLength: 256 },
          features: { description: "Nested JSON: an object or a list of namespace objects" },
        },
      },
    },
    contextFeatures: {
      description:
        'context "linear": the context features (an object or a list of namespace objects); `context` when absent',
    },
    excludedActions: {
      type: "array",
      maxItems: 256,
      items: { type: "string", minLength: 1, maxLength: 256 },
      description: "Offered ids that must not be chosen: probability 0, still listed in the ranking",
    },
    baselineAction: {
      type: "string",
      minLength: 1,
      maxLength: 256,
      description: "The action apprentice and logging-only modes serve (default: the first offered, not excluded)",
    },
    explain: { type: "boolean", description: "Return each offered action's feature contributions" },
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
    explanation: {
      type: "array",
      description:
        'context "linear" with explain: per offered action (the chosen one first), its feature contributions',
      items: {
        type: "object",
        required: ["armId", "score", "features"],
        properties: {
          armId: { type: "string" },
          score: { type: "number", description: "Posterior mean score in this context" },
          features: {
            type: "array",
            items: {
              type: "object",
              required: ["name", "score"],
              properties: { name: { type: "string" }, score: { type: "number" } },
            },
          },
        },
      },
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

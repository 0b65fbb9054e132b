const nullableNumber = { type: "number", nullable: true } as const;

const armStats = {
  type: "object",
  required: ["armId", "state", "pulls", "rewards", "mean"],
  properties: {
    armId: { type: "string" },
    state: { type: "string" },
    pulls: { type: "number" },
    rewards: { type: "number" },
    rewardSum: { type: "number" },
    mean: { type: "number", nullable: true, description: "Posterior mean of the expected reward" },
    lower: { type: "number", nullable: true, description: "2.5% posterior quantile" },
    upper: { type: "number", nullable: true, description: "97.5% posterior quantile" },
    probabilityBest: { type: "number", nullable: true },
    expectedLoss: { type: "number", nullable: true, description: "null when it could not be estimated" },
  },
} as const;

export const statsSchema = {
  $id: "ExperimentStats",
  type: "object",
  required: ["experimentId", "segments", "groups"],
  additionalProperties: true,
  properties: {
    experimentId: { type: "string" },
    segments: {
      type: "array",
      description: 'The experiment-wide segment "*" first, then each context segment',
      items: {
        type: "object",
        required: ["segment", "arms"],
        properties: { segment: { type: "string" }, arms: { type: "array", items: armStats } },
      },
    },
    groups: {
      type: "array",
      items: {
        type: "object",
        required: ["group", "decisions", "rewards"],
        properties: {
          group: { type: "string", enum: ["bandit", "control"] },
          decisions: { type: "number" },
          rewards: { type: "number" },
          mean: nullableNumber,
          lower: nullableNumber,
          upper: nullableNumber,
        },
      },
    },
    uplift: {
      type: "object",
      nullable: true,
      description: "Bandit minus control mean reward with a 95% credible interval; null without control data",
      properties: {
        mean: { type: "number" },
        lower: { type: "number" },
        upper: { type: "number" },
        probabilityPositive: { type: "number" },
      },
    },
  },
} as const;
export const statsRef = { $ref: "ExperimentStats#" } as const;

export const apiKeySchema = {
  $id: "ApiKey",
  type: "object",
  required: ["id", "name", "scopes", "createdAt"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    scopes: { type: "array", items: { type: "string", enum: ["admin", "decide", "read"] } },
    experimentId: { type: "string", nullable: true },
    createdAt: { type: "number" },
    revokedAt: { type: "number", nullable: true },
  },
} as const;

export const createKeyBody = {
  type: "object",
  required: ["name", "scopes"],
  additionalProperties: false,
  properties: {
    name: { type: "string", minLength: 1, maxLength: 200 },
    scopes: {
      type: "array",
      minItems: 1,
      maxItems: 3,
      items: { type: "string", enum: ["admin", "decide", "read"] },
      description: "admin: everything; decide: decisions, rewards, activation; read: GET experiments and stats",
    },
    experimentId: {
      type: "string",
      nullable: true,
      minLength: 1,
      maxLength: 256,
      description: "Bind the key to one experiment",
    },
  },
} as const;

export const createdKeySchema = {
  type: "object",
  required: ["key", "secret"],
  properties: {
    key: { $ref: "ApiKey#" },
    secret: { type: "string", description: "Shown once: only its hash is stored" },
  },
} as const;

export const keyParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string" } },
} as const;

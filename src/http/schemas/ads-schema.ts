/** Schemas of the Sponsored Products bid optimizer routes (/v1/ads/…). Amazon ids are decimal strings. */

const id = { type: "string", pattern: "^[0-9]{1,20}$", description: "Amazon id (int64) as a decimal string" } as const;
const strategy = { type: "string", enum: ["aggressive", "balanced", "conservative"] } as const;
const targetAcos = {
  type: "number",
  exclusiveMinimum: 0,
  maximum: 10,
  description: "spend / sales, 0.25 = 25%",
} as const;
const minConfidence = { type: "number", minimum: 0, maximum: 1 } as const;
const nonNegative = { type: "number", minimum: 0 } as const;
/** Responses list every field the service returns (records are plain data). */
const open = { type: "object", additionalProperties: true } as const;

export const profileParams = {
  type: "object",
  required: ["profileId"],
  properties: { profileId: id },
} as const;

export const keywordParams = {
  type: "object",
  required: ["keywordId"],
  properties: { keywordId: { type: "string", minLength: 1, maxLength: 64 } },
} as const;

export const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", minLength: 1, maxLength: 200 } },
} as const;

export const optimizeQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    dryRun: { type: "string", enum: ["true", "false"], description: "false: execute every change at once" },
  },
} as const;

export const optimizeBody = {
  type: "object",
  additionalProperties: false,
  nullable: true,
  properties: {
    strategy,
    targetAcos,
    multipliers: { type: "array", minItems: 1, maxItems: 32, items: { type: "number", exclusiveMinimum: 0 } },
    minClicks: nonNegative,
    minSpend: nonNegative,
    maxChange: nonNegative,
    cooldownDays: nonNegative,
    minBid: nonNegative,
    maxBid: nonNegative,
    modelWeight: { type: "number", minimum: 0, maximum: 1 },
    margin: nonNegative,
    autoExecute: { type: "boolean", description: "execute the items whose confidence ≥ minConfidence" },
    minConfidence,
  },
} as const;

export const listPlansQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    profileId: id,
    limit: { type: "string", pattern: "^[0-9]{1,4}$", description: "at most this many, newest first (default 100)" },
  },
} as const;

export const scheduleFields = {
  cadence: { type: "string", enum: ["hourly", "daily", "weekly"] },
  strategy,
  targetAcos,
  autoExecute: { type: "boolean" },
  minConfidence,
  enabled: { type: "boolean" },
} as const;

export const createScheduleBody = {
  type: "object",
  required: ["profileId"],
  additionalProperties: false,
  properties: { profileId: id, ...scheduleFields },
} as const;

export const updateScheduleBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: scheduleFields,
} as const;

export const listSchedulesQuery = {
  type: "object",
  additionalProperties: false,
  properties: { profileId: id },
} as const;

export const planResponse = { description: "The plan with its items and their execution outcome", ...open } as const;
export const openResponse = open;

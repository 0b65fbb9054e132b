/** The one error body, shared by every route's 4xx/5xx responses. */
export const errorSchema = {
  $id: "Error",
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "Stable code, BANDITRY_…" },
        message: { type: "string" },
        field: { type: "string", description: "The offending field, when one is to blame" },
        requestId: { type: "string", description: "For 5xx: the id to find in the server log" },
      },
    },
  },
} as const;

const WHY: Record<number, string> = {
  400: "Invalid request (BANDITRY_VALIDATION and others); `field` names the culprit",
  401: "Missing, unknown or revoked API key",
  403: "The key lacks the scope, or is bound to another experiment",
  404: "Unknown experiment, arm, event or key",
  409: "Conflict: id taken, event id reused, reward already recorded, experiment archived",
  413: "Request body larger than the server's limit",
  415: "Request body is not JSON",
  500: "Internal error; `requestId` finds it in the server log",
};

/** Error responses for a route; every route can answer 400 and 500. */
export function errorResponses(...statuses: number[]): Record<number, { description: string; $ref: string }> {
  const out: Record<number, { description: string; $ref: string }> = {};
  for (const s of [400, ...statuses, 500]) out[s] = { description: WHY[s] ?? "Error", $ref: "Error#" };
  return out;
}

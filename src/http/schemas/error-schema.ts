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

const ref = { $ref: "Error#" } as const;

/** Error responses for a route; every route can answer 401 (no key) and 500. */
export function errorResponses(...statuses: number[]): Record<number, typeof ref> {
  const out: Record<number, typeof ref> = {};
  for (const s of [400, ...statuses, 500]) out[s] = ref;
  return out;
}

import type { FastifyInstance } from "fastify";
import { createLoop } from "../../personalizer/create-loop.js";
import type { RouteDeps } from "../route-deps.js";
import { guarded } from "../route-deps.js";
import { errorResponses } from "../schemas/error-schema.js";

/** Personalizer loops (admin keys not bound to an experiment): a linear experiment and its bound key at once. */
export function loopRoutes(app: FastifyInstance, { service, keys }: RouteDeps): void {
  const admin = guarded("admin", { unboundOnly: true });
  app.post<{ Body: { id: string; name?: string } }>(
    "/v1/loops",
    {
      config: admin.config,
      schema: {
        tags: ["experiments"],
        operationId: "createLoop",
        summary:
          "Create a Personalizer loop: a linear experiment with Personalizer's defaults and a key bound to it " +
          "(scopes admin, decide, read); point the Personalizer clients at this server with that key",
        security: admin.security,
        body: {
          type: "object",
          required: ["id"],
          additionalProperties: false,
          properties: {
            id: { type: "string", minLength: 1, maxLength: 128 },
            name: { type: "string", maxLength: 200 },
          },
        },
        response: {
          201: {
            description: "The loop, its key and the key's secret (shown only here)",
            type: "object",
            required: ["loop", "key", "secret", "paths"],
            properties: {
              loop: { $ref: "Experiment#" },
              key: { $ref: "ApiKey#" },
              secret: { type: "string" },
              paths: {
                type: "object",
                properties: { v1: { type: "string" }, preview: { type: "string" } },
              },
            },
          },
          ...errorResponses(401, 403, 409, 413, 415),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await createLoop(service, keys, request.body)),
  );
}

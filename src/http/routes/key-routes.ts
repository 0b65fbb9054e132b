import type { FastifyInstance } from "fastify";
import { BanditryError } from "../../domain/errors.js";
import type { Scope } from "../../stores/stores.js";
import type { RouteDeps } from "../route-deps.js";
import { guarded } from "../route-deps.js";
import { errorResponses } from "../schemas/error-schema.js";
import { createdKeySchema, createKeyBody, keyParams } from "../schemas/key-schema.js";

/** API key management (admin keys not bound to an experiment). */
export function keyRoutes(app: FastifyInstance, { keys }: RouteDeps): void {
  const tags = ["keys"];
  const admin = guarded("admin", { unboundOnly: true });

  app.post<{ Body: { name: string; scopes: Scope[]; experimentId?: string | null } }>(
    "/v1/keys",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "createKey",
        summary: "Create an API key; the secret is in this answer only",
        security: admin.security,
        body: createKeyBody,
        response: {
          201: { description: "The key and its secret", ...createdKeySchema },
          ...errorResponses(401, 403, 413, 415),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await keys.create(request.body)),
  );

  app.get(
    "/v1/keys",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "listKeys",
        summary: "List API keys (never their secrets)",
        security: admin.security,
        response: {
          200: {
            description: "Every key, revoked ones included",
            type: "object",
            required: ["keys"],
            properties: { keys: { type: "array", items: { $ref: "ApiKey#" } } },
          },
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ keys: await keys.list() }),
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/keys/:id",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "revokeKey",
        summary: "Revoke an API key (other instances notice within the key cache time)",
        security: admin.security,
        params: keyParams,
        response: { 204: { type: "null", description: "Revoked" }, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      if (!(await keys.revoke(request.params.id))) {
        throw new BanditryError("BANDITRY_NOT_FOUND", `no API key with id ${JSON.stringify(request.params.id)}`, {
          field: "id",
        });
      }
      return reply.code(204).send();
    },
  );
}

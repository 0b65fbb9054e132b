import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "../route-deps.js";
import { guarded } from "../route-deps.js";
import { errorResponses } from "../schemas/error-schema.js";
import { experimentParams } from "../schemas/experiment-schema.js";

const modelExport = {
  type: "object",
  required: ["experimentId", "model", "learnedRewards", "createdAt", "updatedAt"],
  properties: {
    experimentId: { type: "string" },
    model: {
      type: "object",
      additionalProperties: true,
      description: "LinearThompsonJSON: options, the evidence (gram, target, count) and the feature names",
    },
    learnedRewards: { type: "number", description: "Rewards learned from (weighted after decay)" },
    createdAt: {
      type: "number",
      description: "When the model was created or last reset (ms; 0 = with the experiment)",
    },
    updatedAt: { type: "number", description: "When it last learned (ms)" },
  },
} as const;

/** A linear experiment's model: export it, or reset it (every instance follows on its next refresh). */
export function modelRoutes(app: FastifyInstance, { service }: RouteDeps): void {
  const tags = ["experiments"];
  const read = guarded("read", { experimentParam: true });
  app.get<{ Params: { id: string } }>(
    "/v1/experiments/:id/model",
    {
      config: read.config,
      schema: {
        tags,
        operationId: "exportModel",
        summary: 'The linear model of a context "linear" experiment',
        security: read.security,
        params: experimentParams,
        response: { 200: { description: "The model", ...modelExport }, ...errorResponses(401, 403, 404, 409) },
      },
    },
    (request) => service.exportModel(request.params.id),
  );

  const admin = guarded("admin", { experimentParam: true });
  app.delete<{ Params: { id: string } }>(
    "/v1/experiments/:id/model",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "resetModel",
        summary: "Forget what the linear model learned (the decision and reward logs stay)",
        security: admin.security,
        params: experimentParams,
        response: { 204: { type: "null", description: "Reset" }, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await service.resetModel(request.params.id);
      return reply.code(204).send();
    },
  );
}

import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "../route-deps.js";

/** Public operational routes: liveness and Prometheus metrics. */
export function opsRoutes(app: FastifyInstance, { metrics }: RouteDeps): void {
  const tags = ["ops"];

  app.get(
    "/health",
    {
      schema: {
        tags,
        operationId: "health",
        summary: "Liveness (503 while shutting down)",
        response: {
          200: {
            description: "Up",
            type: "object",
            required: ["status"],
            properties: { status: { type: "string", enum: ["ok"] } },
          },
        },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/metrics",
    {
      schema: {
        tags,
        operationId: "metrics",
        summary: "Prometheus metrics (text exposition format)",
        response: {
          200: {
            description: "Prometheus text exposition format",
            content: { "text/plain": { schema: { type: "string" } } },
          },
        },
      },
    },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
}

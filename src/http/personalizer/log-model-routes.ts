import type { FastifyInstance } from "fastify";
import { personalizerErrorBody } from "../../personalizer/personalizer-errors.js";
import { loopOf, type PersonalizerContext } from "./personalizer-context.js";
import { routeOptions } from "./route-options.js";

/** logs, model and metrics/learning. */
export function logModelRoutes(app: FastifyInstance, { loops, keys, style }: PersonalizerContext): void {
  app.get("/logs/properties", routeOptions(keys, "read", "BadRequest"), async (request, reply) => {
    const properties = await loops.logProperties(loopOf(request));
    if (properties === null) {
      return reply.code(404).send(personalizerErrorBody("LogsPropertiesNotFound", "the loop has no logs yet"));
    }
    return properties;
  });
  app.delete("/logs", routeOptions(keys, "admin", "BadRequest"), async (request, reply) => {
    await loops.deleteLogs(loopOf(request));
    return reply.code(204).send();
  });
  app.get("/model", routeOptions(keys, "read", "BadRequest"), async (request, reply) =>
    reply.header("content-type", "application/octet-stream").send(await loops.model(loopOf(request))),
  );
  app.delete("/model", routeOptions(keys, "admin", "BadRequest"), async (request, reply) => {
    await loops.resetModel(loopOf(request));
    return reply.code(204).send();
  });
  app.get("/model/properties", routeOptions(keys, "read", "BadRequest"), (request) =>
    loops.modelProperties(loopOf(request)),
  );
  app.get("/metrics/learning", routeOptions(keys, "read", "BadRequest"), (request) =>
    loops.learningMetrics(loopOf(request), request.query as Record<string, unknown>, style),
  );
}

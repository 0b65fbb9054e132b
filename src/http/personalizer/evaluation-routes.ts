import type { FastifyInstance } from "fastify";
import { evaluationOutput, evaluationRequest, loopEvaluation } from "../../personalizer/personalizer-evaluations.js";
import { notImplemented } from "./not-implemented.js";
import { loopOf, type PersonalizerContext } from "./personalizer-context.js";
import { routeOptions } from "./route-options.js";

type EvaluationParams = { Params: { evaluationId: string } };

/** evaluations: offline evaluations of the loop's logs through banditry's evaluation service. */
export function evaluationRoutes(app: FastifyInstance, ctx: PersonalizerContext): void {
  const { loops, keys, style, prefix } = ctx;
  app.post("/evaluations", routeOptions(keys, "admin", "InvalidEvaluationContract"), async (request, reply) => {
    if (ctx.evaluations === undefined) return notImplemented(reply);
    const loopId = loopOf(request);
    const record = await ctx.evaluations.create(evaluationRequest(loopId, request.body, await loops.policy(loopId)));
    return reply
      .code(201)
      .header("location", `${prefix}/evaluations/${encodeURIComponent(record.id)}`)
      .send(evaluationOutput(record, style));
  });
  app.get("/evaluations", routeOptions(keys, "read", "BadRequest"), async (request, reply) => {
    if (ctx.evaluations === undefined) return notImplemented(reply);
    const records = await ctx.evaluations.list(loopOf(request));
    return records.map((r) => evaluationOutput(r, style));
  });
  app.get<EvaluationParams>(
    "/evaluations/:evaluationId",
    routeOptions(keys, "read", "BadRequest"),
    async (request, reply) => {
      if (ctx.evaluations === undefined) return notImplemented(reply);
      const record = await loopEvaluation(ctx.evaluations, loopOf(request), request.params.evaluationId);
      return evaluationOutput(record, style);
    },
  );
  app.delete<EvaluationParams>(
    "/evaluations/:evaluationId",
    routeOptions(keys, "admin", "BadRequest"),
    async (request, reply) => {
      if (ctx.evaluations === undefined) return notImplemented(reply);
      const record = await loopEvaluation(ctx.evaluations, loopOf(request), request.params.evaluationId);
      await ctx.evaluations.delete(record.id);
      return reply.code(204).send();
    },
  );
}

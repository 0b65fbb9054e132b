import type { FastifyInstance } from "fastify";
import type { DecideInput } from "../../engine/decision-service.js";
import type { RouteDeps } from "../route-deps.js";
import { guarded } from "../route-deps.js";
import {
  decideBody,
  decisionRef,
  eventParams,
  rewardBatchBody,
  rewardBatchResponse,
  rewardBody,
} from "../schemas/decision-schema.js";
import { errorResponses } from "../schemas/error-schema.js";
import { experimentParams } from "../schemas/experiment-schema.js";

type DecideBody = Omit<DecideInput, "experimentId">;

const noContent = { type: "null", description: "Done (durable)" } as const;

/** The hot path: decisions, rewards, activation. Handlers stay thin: the engine does the work. */
export function decisionRoutes(app: FastifyInstance, { service, metrics }: RouteDeps): void {
  const tags = ["decisions"];

  const decideOne = guarded("decide", { experimentParam: true });
  app.post<{ Params: { id: string }; Body: DecideBody }>(
    "/v1/experiments/:id/decisions",
    {
      config: decideOne.config,
      schema: {
        tags,
        operationId: "decide",
        summary: "Choose an arm (or rank k arms); answers once the decision is durable",
        security: decideOne.security,
        params: experimentParams,
        body: decideBody,
        response: {
          201: { description: "The decision (durable)", ...decisionRef },
          ...errorResponses(401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const experimentId = request.params.id;
      const result = await service.decide({
        experimentId,
        eventId: b.eventId,
        context: b.context,
        unitId: b.unitId,
        k: b.k,
        activate: b.activate,
        propensities: b.propensities,
        actions: b.actions,
        contextFeatures: b.contextFeatures,
        excludedActions: b.excludedActions,
        baselineAction: b.baselineAction,
        explain: b.explain,
      });
      metrics.countDecision(experimentId, result.group);
      return reply.code(201).send(result);
    },
  );

  const decide = guarded("decide");
  app.post<{ Params: { eventId: string }; Body: { value: number } }>(
    "/v1/decisions/:eventId/reward",
    {
      config: decide.config,
      schema: {
        tags,
        operationId: "reward",
        summary: "Report the outcome of a decision",
        security: decide.security,
        params: eventParams,
        body: rewardBody,
        response: { 204: noContent, ...errorResponses(401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      await service.reward(request.params.eventId, request.body.value);
      metrics.countReward("accepted");
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { rewards: { eventId: unknown; value: unknown }[] } }>(
    "/v1/rewards",
    {
      config: decide.config,
      schema: {
        tags,
        operationId: "rewardBatch",
        summary: "Report many outcomes at once; each item gets its own status",
        security: decide.security,
        body: rewardBatchBody,
        response: {
          200: { description: "One result per item, in order", ...rewardBatchResponse },
          ...errorResponses(401, 403, 413, 415),
        },
      },
    },
    async (request) => {
      const results = await service.rewardBatch(request.body.rewards);
      // one counter update per status, not per item
      const counts = new Map<string, number>();
      for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      for (const [status, n] of counts) metrics.countReward(status, n);
      return { results };
    },
  );

  app.post<{ Params: { eventId: string } }>(
    "/v1/decisions/:eventId/activate",
    {
      config: decide.config,
      schema: {
        tags,
        operationId: "activate",
        summary: "Activate a decision made with activate=false, so it counts for learning",
        security: decide.security,
        params: eventParams,
        response: { 204: noContent, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await service.activate(request.params.eventId);
      return reply.code(204).send();
    },
  );
}

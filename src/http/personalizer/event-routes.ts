import type { FastifyInstance } from "fastify";
import { loopOf, type PersonalizerContext } from "./personalizer-context.js";
import { routeOptions } from "./route-options.js";

type EventParams = { Params: { eventId: string } };

/** rank, reward, activate and their multi-slot forms. */
export function eventRoutes(app: FastifyInstance, { loops, keys }: PersonalizerContext): void {
  app.post("/rank", routeOptions(keys, "decide", "InvalidRankRequest"), async (request, reply) =>
    reply.code(201).send(await loops.rank(loopOf(request), request.body)),
  );
  app.post<EventParams>(
    "/events/:eventId/reward",
    routeOptions(keys, "decide", "InvalidRewardRequest"),
    async (request, reply) => {
      await loops.reward(loopOf(request), request.params.eventId, request.body);
      return reply.code(204).send();
    },
  );
  app.post<EventParams>(
    "/events/:eventId/activate",
    routeOptions(keys, "decide", "InvalidEventIdToActivate"),
    async (request, reply) => {
      await loops.activate(loopOf(request), request.params.eventId);
      return reply.code(204).send();
    },
  );
  app.post("/multislot/rank", routeOptions(keys, "decide", "InvalidRankRequest"), async (request, reply) =>
    reply.code(201).send(await loops.multiSlotRank(loopOf(request), request.body)),
  );
  app.post<EventParams>(
    "/multislot/events/:eventId/reward",
    routeOptions(keys, "decide", "InvalidRewardRequest"),
    async (request, reply) => {
      await loops.multiSlotReward(loopOf(request), request.params.eventId, request.body);
      return reply.code(204).send();
    },
  );
  app.post<EventParams>(
    "/multislot/events/:eventId/activate",
    routeOptions(keys, "decide", "InvalidEventIdToActivate"),
    async (request, reply) => {
      await loops.multiSlotActivate(loopOf(request), request.params.eventId);
      return reply.code(204).send();
    },
  );
}

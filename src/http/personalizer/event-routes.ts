import type { FastifyInstance } from "fastify";
import type { KeyService } from "../../auth/key-service.js";
import { loopOf, type PersonalizerContext } from "./personalizer-context.js";
import { routeOptions } from "./route-options.js";

type EventParams = { Params: { eventId: string } };

/** What one form (single- or multi-slot) does for rank, reward and activate. */
interface EventHandlers {
  rank(loopId: string, body: unknown): Promise<unknown>;
  reward(loopId: string, eventId: string, body: unknown): Promise<void>;
  activate(loopId: string, eventId: string): Promise<void>;
}

/** rank, reward, activate and their multi-slot forms. */
export function eventRoutes(app: FastifyInstance, { loops, keys }: PersonalizerContext): void {
  formRoutes(app, keys, "", {
    rank: (loopId, body) => loops.rank(loopId, body),
    reward: (loopId, eventId, body) => loops.reward(loopId, eventId, body),
    activate: (loopId, eventId) => loops.activate(loopId, eventId),
  });
  formRoutes(app, keys, "/multislot", {
    rank: (loopId, body) => loops.multiSlotRank(loopId, body),
    reward: (loopId, eventId, body) => loops.multiSlotReward(loopId, eventId, body),
    activate: (loopId, eventId) => loops.multiSlotActivate(loopId, eventId),
  });
}

/** `<prefix>/rank` (201 with the ranking), `<prefix>/events/:eventId/reward` and `…/activate` (204). */
function formRoutes(app: FastifyInstance, keys: KeyService, prefix: string, handlers: EventHandlers): void {
  app.post(`${prefix}/rank`, routeOptions(keys, "decide", "InvalidRankRequest"), async (request, reply) =>
    reply.code(201).send(await handlers.rank(loopOf(request), request.body)),
  );
  app.post<EventParams>(
    `${prefix}/events/:eventId/reward`,
    routeOptions(keys, "decide", "InvalidRewardRequest"),
    async (request, reply) => {
      await handlers.reward(loopOf(request), request.params.eventId, request.body);
      return reply.code(204).send();
    },
  );
  app.post<EventParams>(
    `${prefix}/events/:eventId/activate`,
    routeOptions(keys, "decide", "InvalidEventIdToActivate"),
    async (request, reply) => {
      await handlers.activate(loopOf(request), request.params.eventId);
      return reply.code(204).send();
    },
  );
}

import type { FastifyInstance } from "fastify";
import type { KeyService } from "../../auth/key-service.js";
import { JsonText } from "../../domain/json-text.js";
import { jsonContentParser } from "../json-content-parser.js";
import { loopOf, type PersonalizerContext } from "./personalizer-context.js";
import { routeOptions } from "./route-options.js";

type EventParams = { Params: { eventId: string } };

/** Fastify's content type of a serialized object, for bodies serialized already. */
const JSON_TYPE = "application/json; charset=utf-8";

/** What one form (single- or multi-slot) does for rank, reward and activate. */
interface EventHandlers {
  rank(loopId: string, body: unknown): Promise<unknown>;
  reward(loopId: string, eventId: string, body: unknown): Promise<void>;
  activate(loopId: string, eventId: string): Promise<void>;
}

/** rank, reward, activate and their multi-slot forms. */
export function eventRoutes(app: FastifyInstance, { loops, keys, rawRankBodies }: PersonalizerContext): void {
  if (rawRankBodies !== undefined) {
    // in a scope of its own: the only route whose JSON bodies reach the handler unparsed
    app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(
        "application/json",
        { parseAs: "string" },
        jsonContentParser(scope, rawRankBodies, true),
      );
      rankRoute(scope, keys, "", (loopId, body) => loops.rank(loopId, body));
    });
  }
  formRoutes(app, keys, "", rawRankBodies !== undefined, {
    rank: (loopId, body) => loops.rank(loopId, body),
    reward: (loopId, eventId, body) => loops.reward(loopId, eventId, body),
    activate: (loopId, eventId) => loops.activate(loopId, eventId),
  });
  formRoutes(app, keys, "/multislot", false, {
    rank: (loopId, body) => loops.multiSlotRank(loopId, body),
    reward: (loopId, eventId, body) => loops.multiSlotReward(loopId, eventId, body),
    activate: (loopId, eventId) => loops.multiSlotActivate(loopId, eventId),
  });
}

/** `<prefix>/rank` (201 with the ranking), `<prefix>/events/:eventId/reward` and `…/activate` (204). */
function formRoutes(
  app: FastifyInstance,
  keys: KeyService,
  prefix: string,
  rankElsewhere: boolean,
  handlers: EventHandlers,
): void {
  if (!rankElsewhere) rankRoute(app, keys, prefix, handlers.rank);
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

function rankRoute(app: FastifyInstance, keys: KeyService, prefix: string, rank: EventHandlers["rank"]): void {
  app.post(`${prefix}/rank`, routeOptions(keys, "decide", "InvalidRankRequest"), async (request, reply) => {
    const answer = await rank(loopOf(request), request.body);
    if (answer instanceof JsonText) return reply.code(201).type(JSON_TYPE).send(answer.text);
    return reply.code(201).send(answer);
  });
}

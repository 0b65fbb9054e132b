import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { KeyService } from "../../auth/key-service.js";
import type { DecisionService } from "../../engine/decision-service.js";
import type { EvaluationService } from "../../evaluation/evaluation-types.js";
import {
  type PersonalizerErrorCode,
  personalizerErrorBody,
  personalizerErrorReply,
} from "../../personalizer/personalizer-errors.js";
import { PersonalizerLoops } from "../../personalizer/personalizer-loops.js";
import { RankThread } from "../../personalizer/rank-thread/rank-thread.js";
import type { LoopStore } from "../../stores/stores.js";
import type { JsonBodyParser } from "../json-body-parser.js";
import type { Metrics } from "../metrics.js";
import { configurationRoutes } from "./configuration-routes.js";
import { evaluationRoutes } from "./evaluation-routes.js";
import { eventRoutes } from "./event-routes.js";
import { logModelRoutes } from "./log-model-routes.js";
import type { PersonalizerContext } from "./personalizer-context.js";
import "./personalizer-route-config.js";

export interface PersonalizerDeps {
  service: DecisionService;
  keys: KeyService;
  loopStore: LoopStore;
  metrics: Pick<Metrics, "observeRequest">;
  /** Offline evaluations; without it, the evaluations routes answer 501. */
  evaluations?: EvaluationService;
  /**
   * Given: rank bodies are parsed and decided on a rank thread (see RankThread), the routes' own
   * (closed with the app) or the one given; `bodies` parses them where the thread does not.
   */
  rankThread?: { bodies: JsonBodyParser; thread: true | RankThread };
}

/** The API versions served, all by the same handlers. */
export const PERSONALIZER_VERSIONS = ["v1.0", "v1.1-preview.1", "v1.1-preview.2", "v1.1-preview.3"] as const;

/**
 * The Personalizer-compatible API, one encapsulated plugin per version prefix: its own auth
 * (Ocp-Apim-Subscription-Key), error handler and not-found handler answer in Personalizer's
 * error shape, while the v1 API keeps its own.
 */
export async function personalizerRoutes(app: FastifyInstance, deps: PersonalizerDeps): Promise<void> {
  const given = deps.rankThread?.thread;
  const thread =
    given === undefined
      ? undefined
      : given === true
        ? new RankThread((err) =>
            app.log.error({ err }, "the rank thread failed; its ranks are decided on the main thread"),
          )
        : given;
  if (given === true) app.addHook("onClose", () => thread!.close());
  const loops = new PersonalizerLoops({
    service: deps.service,
    loopStore: deps.loopStore,
    ...(thread === undefined ? {} : { rankThread: thread }),
  });
  for (const version of PERSONALIZER_VERSIONS) {
    const prefix = `/personalizer/${version}`;
    const ctx: PersonalizerContext = {
      loops,
      keys: deps.keys,
      evaluations: deps.evaluations,
      prefix,
      style: version === "v1.0" ? "timespan" : "iso",
      rawRankBodies: deps.rankThread?.bodies,
    };
    await app.register(
      async (scope) => {
        scope.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
          const code: PersonalizerErrorCode = request.routeOptions.config?.personalizerCode ?? "BadRequest";
          const { status, body, internal } = personalizerErrorReply(error, code);
          if (internal) request.log.error({ err: error, reqId: request.id }, "personalizer request failed");
          return reply.code(status).send(body);
        });
        scope.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
          const path = (request.url.split("?")[0] ?? request.url).slice(0, 200);
          deps.metrics.observeRequest(request.method, "unmatched", 404, reply.elapsedTime / 1000);
          return reply
            .code(404)
            .send(personalizerErrorBody("ResourceNotFound", `no operation ${request.method} ${path}`));
        });
        eventRoutes(scope, ctx);
        configurationRoutes(scope, ctx);
        evaluationRoutes(scope, ctx);
        logModelRoutes(scope, ctx);
      },
      { prefix },
    );
  }
}

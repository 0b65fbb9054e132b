import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type onResponseHookHandler,
} from "fastify";
import type { AdsService } from "../apps/ads/service/ads-service.js";
import type { KeyService } from "../auth/key-service.js";
import { BanditryError } from "../domain/errors.js";
import type { DecisionService } from "../engine/decision-service.js";
import type { EvaluationService } from "../evaluation/evaluation-types.js";
import type { RankThread } from "../personalizer/rank-thread/rank-thread.js";
import type { LoopStore } from "../stores/stores.js";
import { createAuthHook, type RouteAuth } from "./auth-hook.js";
import { frameworkErrorHandler, installErrorHandling } from "./error-handler.js";
import { JsonBodyParser, MAX_JSON_DEPTH } from "./json-body-parser.js";
import { jsonContentParser } from "./json-content-parser.js";
import type { Metrics } from "./metrics.js";
import { withPersonalizerFrameworkErrors } from "./personalizer/personalizer-framework-errors.js";
import { personalizerRoutes } from "./personalizer/personalizer-routes.js";
import type { RouteDeps } from "./route-deps.js";
import { adsRoutes } from "./routes/ads-routes.js";
import { decisionRoutes } from "./routes/decision-routes.js";
import { evaluationRoutes } from "./routes/evaluation-routes.js";
import { experimentRoutes } from "./routes/experiment-routes.js";
import { keyRoutes } from "./routes/key-routes.js";
import { loopRoutes } from "./routes/loop-routes.js";
import { modelRoutes } from "./routes/model-routes.js";
import { opsRoutes } from "./routes/ops-routes.js";
import { decisionSchema } from "./schemas/decision-schema.js";
import { errorSchema } from "./schemas/error-schema.js";
import { experimentSchema } from "./schemas/experiment-schema.js";
import { apiKeySchema } from "./schemas/key-schema.js";
import { statsSchema } from "./schemas/stats-schema.js";

export interface AppDeps {
  service: DecisionService;
  keys: KeyService;
  metrics: Metrics;
  /** The Sponsored Products bid optimizer; its /v1/ads routes exist only when it is given. */
  ads?: AdsService;
  /** The Personalizer-compatible API (/personalizer/…) and POST /v1/loops exist only when it is given. */
  loopStore?: LoopStore;
  /** Offline evaluations behind the Personalizer evaluations routes (501 without). */
  evaluations?: EvaluationService;
  /** Fastify logs through it (pino); none = silent. */
  logger?: FastifyBaseLogger;
}

export interface AppOptions {
  /** Largest accepted request body in bytes (default 1 MiB); larger → 413. */
  bodyLimit?: number;
  /** Fastify's per-request log lines (default off: they cost on the hot path). */
  requestLogging?: boolean;
  /** OpenAPI at /docs/json and Swagger UI at /docs (default on). */
  docs?: boolean;
  /**
   * Personalizer rank bodies parsed and decided on a thread of their own (default off; the
   * server turns it on): true for one of the app's own, or the thread to use (the caller closes it).
   */
  rankThread?: boolean | RankThread;
}

function hookList<T>(hooks: T | T[] | undefined): T[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks];
}

/** Builds the HTTP API v1. Never listens: the caller listens, tests use app.inject. */
export async function buildApp(deps: AppDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const requestLogging = options.requestLogging ?? false;
  const app = Fastify({
    ...(deps.logger === undefined ? {} : { loggerInstance: deps.logger }),
    logController: new LogController({ disableRequestLogging: !requestLogging }),
    // Without request logging, no per-request child logger (errors are logged with their reqId).
    ...(requestLogging ? {} : { childLoggerFactory: (logger: FastifyBaseLogger) => logger }),
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // Event ids in paths may be 256 characters (percent-encoding makes them longer).
    routerOptions: { maxParamLength: 2048 },
    // While closing, our own hook answers 503 with the API's error body (Fastify's has another shape).
    return503OnClosing: false,
    frameworkErrors: withPersonalizerFrameworkErrors(frameworkErrorHandler(deps.metrics)),
    ajv: {
      // Bodies are taken as typed: no "1" → 1 or null → 0 coercion, and unknown fields are
      // refused (a typo must not be silently ignored). One error per request is enough.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, useDefaults: true },
    },
  }) as unknown as FastifyInstance;

  installErrorHandling(app, deps.metrics);

  // JSON only (no text/plain → 415); see json-content-parser.ts
  const bodyParser = new JsonBodyParser(MAX_JSON_DEPTH);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "string" }, jsonContentParser(app, bodyParser));

  for (const schema of [errorSchema, experimentSchema, decisionSchema, statsSchema, apiKeySchema]) {
    app.addSchema(schema);
  }

  // Auth and request metrics are attached to each route when it is declared, so the hot path
  // never reads request.routeOptions (a getter that builds an object per call).
  app.addHook("onRoute", (route) => {
    const method = Array.isArray(route.method) ? route.method.join(",") : String(route.method);
    const observe = deps.metrics.routeObserver(method, route.url ?? route.path);
    const onResponse: onResponseHookHandler = (_request, reply, done) => {
      observe(reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    route.onResponse = [onResponse, ...hookList(route.onResponse)];
    const config = route.config;
    if (config?.scope !== undefined) {
      const auth: RouteAuth = { scope: config.scope };
      if (config.experimentParam) auth.experimentParam = true;
      if (config.unboundOnly) auth.unboundOnly = true;
      route.onRequest = [createAuthHook(deps.keys, auth), ...hookList(route.onRequest)];
    }
  });

  if (options.docs ?? true) {
    await app.register(swagger, {
      openapi: {
        openapi: "3.0.3",
        info: {
          title: "banditry",
          version: "1",
          description: "Thompson Sampling decision service. Authenticate with Authorization: Bearer <key>.",
        },
        tags: [
          { name: "experiments", description: "Experiments and their arms (admin; read for GETs)" },
          { name: "decisions", description: "Decisions, rewards, activation (decide)" },
          { name: "keys", description: "API keys (admin)" },
          { name: "ops", description: "Health and metrics (no key)" },
          { name: "ads", description: "Sponsored Products bid optimizer (admin; read for GETs)" },
        ],
        components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
      },
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`),
      },
    });
    await app.register(swaggerUi, { routePrefix: "/docs" });
  }

  // Graceful close: new requests get 503 (Fastify adds Connection: close); requests in flight
  // finish, and their keep-alive sockets are closed as soon as they go idle, instead of
  // holding close() for the 72 s keep-alive timeout.
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    if (app.server.listening) {
      const timer = setInterval(() => app.server.closeIdleConnections(), 20);
      timer.unref();
      app.server.once("close", () => clearInterval(timer));
    }
    done();
  });
  app.addHook("onRequest", (_request, _reply, done) => {
    if (!closing) return done();
    done(new BanditryError("BANDITRY_UNAVAILABLE", "the server is shutting down; retry on another instance"));
  });

  const routeDeps: RouteDeps = { service: deps.service, keys: deps.keys, metrics: deps.metrics };
  app.decorateRequest("apiKey", null);

  experimentRoutes(app, routeDeps);
  decisionRoutes(app, routeDeps);
  modelRoutes(app, routeDeps);
  keyRoutes(app, routeDeps);
  opsRoutes(app, routeDeps);
  if (deps.evaluations !== undefined) evaluationRoutes(app, { ...routeDeps, evaluations: deps.evaluations });
  if (deps.loopStore !== undefined) {
    loopRoutes(app, routeDeps);
    await personalizerRoutes(app, {
      ...routeDeps,
      loopStore: deps.loopStore,
      evaluations: deps.evaluations,
      ...(options.rankThread ? { rankThread: { bodies: bodyParser, thread: options.rankThread } } : {}),
    });
  }
  if (deps.ads !== undefined) adsRoutes(app, deps.ads);
  return app;
}

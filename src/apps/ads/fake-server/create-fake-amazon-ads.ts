import Fastify, { type FastifyInstance } from "fastify";
import type { Marketplace } from "../marketplace/marketplace.js";
import { registerAdminRoutes } from "./admin-routes.js";
import { familyOf, sendApiError } from "./api-errors.js";
import type { FakeContext, FakeRequestRecord } from "./fake-context.js";
import { FaultController, type FaultRule } from "./fault-controller.js";
import { registerLwaRoutes } from "./lwa-routes.js";
import { registerProfileRoutes } from "./profile-routes.js";
import { ReportStore } from "./report-store.js";
import { registerReportingRoutes } from "./reporting-routes.js";
import { ServerRateLimit } from "./server-rate-limit.js";
import { registerSpKeywordUpdateRoute } from "./sp-keyword-update-route.js";
import { registerSpListRoutes } from "./sp-list-routes.js";
import { SpecValidator } from "./spec-validator.js";
import { DEFAULT_LWA_CLIENT, type FakeLwaClient, TokenRegistry } from "./token-registry.js";

export interface FakeAmazonAdsOptions {
  /** The simulated advertiser(s): one profile per marketplace. */
  marketplace: Marketplace | readonly Marketplace[];
  /** Faults to inject from the first request on (more can be added through `faults`). */
  faults?: FaultRule[];
  /** LWA applications and their refresh tokens (default: DEFAULT_LWA_CLIENT). */
  clients?: FakeLwaClient[];
  /** Lifetime of access tokens (default 3600 s, as LWA). */
  accessTokenTtlSeconds?: number;
  /** Server clock in epoch ms (default Date.now); tests share a virtual one with the client. */
  now?: () => number;
  /** Time a report takes to complete (default 1000 ms of the server clock). */
  reportDelayMs?: number;
  /** Page size of list calls without maxResults, and the largest maxResults (default 1000). */
  maxPageSize?: number;
  /** Server-side throttling per profile (default none): 429 with Retry-After beyond it. */
  rateLimit?: { ratePerSecond: number; burst: number };
  /** Base URL for report download links (default: the scheme and Host of the request). */
  publicBaseUrl?: string;
  /** Validator to share between servers (loading the spec takes ~0.1 s). */
  validator?: SpecValidator;
  /** /__fake/* control routes (default true). */
  adminRoutes?: boolean;
}

export interface FakeAmazonAds {
  /** The Fastify app (not listening; use listen(), or app.inject in tests). */
  app: FastifyInstance;
  faults: FaultController;
  tokens: TokenRegistry;
  reports: ReportStore;
  /** Every answered request, oldest first. */
  requests: FakeRequestRecord[];
  /** The LWA application clients should use (first of `clients`). */
  client: FakeLwaClient;
  /** Listens (default 127.0.0.1, a free port); the URLs to give the client. */
  listen(options?: { host?: string; port?: number }): Promise<{ baseUrl: string; tokenUrl: string }>;
  close(): Promise<void>;
}

/**
 * A local Amazon Ads API (LWA, /v2/profiles, SP v3 campaigns / ad groups / keywords lists
 * and keyword update, Reporting v3 with downloads) backed by marketplace simulators, with
 * request validation against Amazon's OpenAPI spec and injectable faults.
 */
export async function createFakeAmazonAds(options: FakeAmazonAdsOptions): Promise<FakeAmazonAds> {
  const now = options.now ?? (() => Date.now());
  const marketplaces = Array.isArray(options.marketplace)
    ? (options.marketplace as readonly Marketplace[])
    : [options.marketplace as Marketplace];
  const clients = options.clients ?? [DEFAULT_LWA_CLIENT];
  const ctx: FakeContext = {
    now,
    profiles: new Map(marketplaces.map((m) => [m.profile.profileId, m])),
    tokens: new TokenRegistry(clients, options.accessTokenTtlSeconds ?? 3600, now),
    faults: new FaultController(),
    reports: new ReportStore(now),
    validator: options.validator ?? new SpecValidator(),
    maxPageSize: options.maxPageSize ?? 1000,
    publicBaseUrl: options.publicBaseUrl,
    requests: [],
  };
  ctx.faults.add(...(options.faults ?? []));
  const limiter =
    options.rateLimit === undefined
      ? undefined
      : new ServerRateLimit(options.rateLimit.ratePerSecond, options.rateLimit.burst, now);

  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  // Bodies reach the routes as text: each API checks its own media type (415) and parses.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));

  app.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0]!;
    if (path.startsWith("/__fake/")) return;
    const family = familyOf(path);
    const route = request.routeOptions.url === undefined ? undefined : `${request.method} ${request.routeOptions.url}`;
    const scope = request.headers["amazon-advertising-api-scope"];
    if (limiter !== undefined && (family === "sp" || family === "reporting") && typeof scope === "string") {
      const taken = limiter.take(scope);
      if (!taken.ok) {
        return sendApiError(reply, family, 429, "Too many requests for this profile", {
          retryAfterSeconds: taken.retryAfterSeconds,
        });
      }
    }
    const fault = route === undefined ? undefined : ctx.faults.takeGeneric(route);
    switch (fault?.kind) {
      case "throttle":
        return sendApiError(reply, family, 429, "Request was throttled", {
          retryAfterSeconds: fault.retryAfterSeconds === undefined ? 1 : fault.retryAfterSeconds,
        });
      case "serverError":
        return sendApiError(reply, family, fault.status ?? 500, "Internal error, please retry");
      case "expireTokens":
        ctx.tokens.expireAll();
        return;
      case "dropConnection":
        reply.hijack();
        request.raw.socket.destroy();
        return;
      default:
        return;
    }
  });

  app.addHook("onResponse", async (request, reply) => {
    const scope = request.headers["amazon-advertising-api-scope"];
    ctx.requests.push({
      method: request.method,
      path: request.url.split("?")[0]!,
      route: request.routeOptions.url === undefined ? undefined : `${request.method} ${request.routeOptions.url}`,
      status: reply.statusCode,
      profileId: typeof scope === "string" ? scope : undefined,
      at: now(),
    });
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    return sendApiError(reply, familyOf(request.url), status, status >= 500 ? "Internal error" : error.message);
  });
  app.setNotFoundHandler((request, reply) =>
    sendApiError(reply, familyOf(request.url), 404, `No route for ${request.method} ${request.url.split("?")[0]}`),
  );

  registerLwaRoutes(app, ctx);
  registerProfileRoutes(app, ctx);
  registerSpListRoutes(app, ctx);
  registerSpKeywordUpdateRoute(app, ctx);
  registerReportingRoutes(app, ctx, { reportDelayMs: options.reportDelayMs ?? 1000 });
  if (options.adminRoutes ?? true) registerAdminRoutes(app, ctx);
  await app.ready();

  return {
    app,
    faults: ctx.faults,
    tokens: ctx.tokens,
    reports: ctx.reports,
    requests: ctx.requests,
    client: clients[0]!,
    async listen(listenOptions = {}) {
      const address = await app.listen({ host: listenOptions.host ?? "127.0.0.1", port: listenOptions.port ?? 0 });
      return { baseUrl: address, tokenUrl: `${address}/auth/o2/token` };
    },
    close: () => app.close(),
  };
}

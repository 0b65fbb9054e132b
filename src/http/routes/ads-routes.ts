import type { FastifyInstance } from "fastify";
import type { AdsService } from "../../apps/ads/service/ads-service.js";
import { guarded } from "../route-deps.js";
import {
  createScheduleBody,
  idParams,
  keywordParams,
  listPlansQuery,
  listSchedulesQuery,
  openResponse,
  optimizeBody,
  optimizeQuery,
  planResponse,
  profileParams,
  updateScheduleBody,
} from "../schemas/ads-schema.js";
import { errorResponses } from "../schemas/error-schema.js";

type Body = Record<string, unknown> | undefined;

/** The Sponsored Products bid optimizer: sync, plans, approval, keyword bandits, schedules. */
export function adsRoutes(app: FastifyInstance, ads: AdsService): void {
  const tags = ["ads"];
  const admin = guarded("admin", { unboundOnly: true });
  const read = guarded("read", { unboundOnly: true });
  const upstream = [401, 403, 404, 409, 502, 503, 504];

  app.post<{ Params: { profileId: string } }>(
    "/v1/ads/profiles/:profileId/sync",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "syncAdsProfile",
        summary: "Pull campaigns, keywords and the keyword report of a profile; send settled rewards",
        security: admin.security,
        params: profileParams,
        response: { 200: { description: "What was synced", ...openResponse }, ...errorResponses(...upstream) },
      },
    },
    async (request) => ads.sync(request.params.profileId),
  );

  app.post<{ Params: { profileId: string }; Querystring: { dryRun?: "true" | "false" }; Body: Body }>(
    "/v1/ads/profiles/:profileId/optimize",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "optimizeAdsProfile",
        summary: "Make a plan of bid changes (dry run by default; dryRun=false executes it)",
        security: admin.security,
        params: profileParams,
        querystring: optimizeQuery,
        body: optimizeBody,
        response: { 201: planResponse, ...errorResponses(...upstream, 415) },
      },
    },
    async (request, reply) => {
      const body = { ...request.body, dryRun: request.query.dryRun !== "false" };
      return reply.code(201).send(await ads.optimize(request.params.profileId, body));
    },
  );

  app.get<{ Querystring: { profileId?: string; limit?: string } }>(
    "/v1/ads/plans",
    {
      config: read.config,
      schema: {
        tags,
        operationId: "listAdsPlans",
        summary: "Plans, newest first (without their items)",
        security: read.security,
        querystring: listPlansQuery,
        response: {
          200: { type: "object", required: ["plans"], properties: { plans: { type: "array", items: openResponse } } },
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({
      plans: await ads.listPlans({
        ...(request.query.profileId === undefined ? {} : { profileId: request.query.profileId }),
        ...(request.query.limit === undefined ? {} : { limit: Math.max(1, Number(request.query.limit)) }),
      }),
    }),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/ads/plans/:id",
    {
      config: read.config,
      schema: {
        tags,
        operationId: "getAdsPlan",
        summary: "A plan with its items",
        security: read.security,
        params: idParams,
        response: { 200: planResponse, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ads.getPlan(request.params.id),
  );

  app.post<{ Params: { id: string } }>(
    "/v1/ads/plans/:id/approve",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "approveAdsPlan",
        summary: "Execute a plan (idempotent: an executed plan is answered as it is, no bid is pushed twice)",
        security: admin.security,
        params: idParams,
        response: { 200: planResponse, ...errorResponses(...upstream) },
      },
    },
    async (request) => ads.approve(request.params.id),
  );

  app.get<{ Params: { keywordId: string } }>(
    "/v1/ads/keywords/:keywordId/bandit",
    {
      config: read.config,
      schema: {
        tags,
        operationId: "getKeywordBandit",
        summary: "A keyword's multiplier arms (posteriors), current bid and latest changes",
        security: read.security,
        params: keywordParams,
        response: { 200: openResponse, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ads.keywordBandit(request.params.keywordId),
  );

  app.get<{ Querystring: { profileId?: string } }>(
    "/v1/ads/schedules",
    {
      config: read.config,
      schema: {
        tags,
        operationId: "listAdsSchedules",
        summary: "Optimization schedules",
        security: read.security,
        querystring: listSchedulesQuery,
        response: {
          200: {
            type: "object",
            required: ["schedules"],
            properties: { schedules: { type: "array", items: openResponse } },
          },
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => ({ schedules: await ads.listSchedules(request.query.profileId) }),
  );

  app.post<{ Body: Record<string, unknown> }>(
    "/v1/ads/schedules",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "createAdsSchedule",
        summary: "Schedule sync → optimize (→ execute with autoExecute) for a profile; the first run is due at once",
        security: admin.security,
        body: createScheduleBody,
        response: { 201: openResponse, ...errorResponses(401, 403, 415) },
      },
    },
    async (request, reply) => reply.code(201).send(await ads.createSchedule(request.body)),
  );

  app.get<{ Params: { id: string } }>(
    "/v1/ads/schedules/:id",
    {
      config: read.config,
      schema: {
        tags,
        operationId: "getAdsSchedule",
        summary: "A schedule",
        security: read.security,
        params: idParams,
        response: { 200: openResponse, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => ads.getSchedule(request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
    "/v1/ads/schedules/:id",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "updateAdsSchedule",
        summary: "Change a schedule (a new cadence counts from the last run)",
        security: admin.security,
        params: idParams,
        body: updateScheduleBody,
        response: { 200: openResponse, ...errorResponses(401, 403, 404, 415) },
      },
    },
    async (request) => ads.updateSchedule(request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    "/v1/ads/schedules/:id",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "deleteAdsSchedule",
        summary: "Delete a schedule",
        security: admin.security,
        params: idParams,
        response: { 204: { type: "null", description: "Deleted" }, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await ads.deleteSchedule(request.params.id);
      return reply.code(204).send();
    },
  );
}

import type { FastifyInstance } from "fastify";
import type { RouteDeps } from "../route-deps.js";
import { guarded } from "../route-deps.js";
import { errorResponses } from "../schemas/error-schema.js";
import {
  addArmBody,
  armParams,
  armStateBody,
  createExperimentBody,
  experimentListSchema,
  experimentParams,
  experimentRef,
  listExperimentsQuery,
  updateExperimentBody,
} from "../schemas/experiment-schema.js";
import { statsRef } from "../schemas/stats-schema.js";

type IdParams = { Params: { id: string } };

export function experimentRoutes(app: FastifyInstance, { service }: RouteDeps): void {
  const tags = ["experiments"];

  const admin = guarded("admin");
  app.post<{ Body: unknown }>(
    "/v1/experiments",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "createExperiment",
        summary: "Create an experiment",
        security: admin.security,
        body: createExperimentBody,
        response: {
          201: { description: "The created experiment", ...experimentRef },
          ...errorResponses(401, 403, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const experiment = await service.createExperiment(request.body);
      return reply.code(201).send(experiment);
    },
  );

  const read = guarded("read");
  app.get<{ Querystring: { includeArchived?: "true" | "false" } }>(
    "/v1/experiments",
    {
      config: read.config,
      schema: {
        tags,
        operationId: "listExperiments",
        summary: "List experiments (archived ones with includeArchived=true)",
        security: read.security,
        querystring: listExperimentsQuery,
        response: { 200: { description: "The experiments", ...experimentListSchema }, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      let experiments = await service.listExperiments({ includeArchived: request.query.includeArchived === "true" });
      const bound = request.apiKey?.experimentId ?? null;
      if (bound !== null) experiments = experiments.filter((e) => e.id === bound);
      return { experiments };
    },
  );

  const readOne = guarded("read", { experimentParam: true });
  app.get<IdParams>(
    "/v1/experiments/:id",
    {
      config: readOne.config,
      schema: {
        tags,
        operationId: "getExperiment",
        summary: "Get an experiment",
        security: readOne.security,
        params: experimentParams,
        response: { 200: { description: "The experiment", ...experimentRef }, ...errorResponses(401, 403, 404) },
      },
    },
    (request) => service.getExperiment(request.params.id),
  );

  const adminOne = guarded("admin", { experimentParam: true });
  app.patch<IdParams & { Body: unknown }>(
    "/v1/experiments/:id",
    {
      config: adminOne.config,
      schema: {
        tags,
        operationId: "updateExperiment",
        summary: "Change an experiment's configuration (arms keep their evidence)",
        security: adminOne.security,
        params: experimentParams,
        body: updateExperimentBody,
        response: {
          200: { description: "The updated experiment", ...experimentRef },
          ...errorResponses(401, 403, 404, 409, 413, 415),
        },
      },
    },
    (request) => service.updateExperiment(request.params.id, request.body),
  );

  app.delete<IdParams>(
    "/v1/experiments/:id",
    {
      config: adminOne.config,
      schema: {
        tags,
        operationId: "archiveExperiment",
        summary: "Archive an experiment (its decisions and evidence are kept)",
        security: adminOne.security,
        params: experimentParams,
        response: {
          200: { description: "The archived experiment", ...experimentRef },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    (request) => service.archiveExperiment(request.params.id),
  );

  app.post<IdParams & { Body: unknown }>(
    "/v1/experiments/:id/arms",
    {
      config: adminOne.config,
      schema: {
        tags,
        operationId: "addArm",
        summary: "Add an arm (the other arms keep their evidence)",
        security: adminOne.security,
        params: experimentParams,
        body: addArmBody,
        response: {
          201: { description: "The experiment with its new arm", ...experimentRef },
          ...errorResponses(401, 403, 404, 409, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const experiment = await service.addArm(request.params.id, request.body);
      return reply.code(201).send(experiment);
    },
  );

  app.patch<{ Params: { id: string; armId: string }; Body: unknown }>(
    "/v1/experiments/:id/arms/:armId",
    {
      config: adminOne.config,
      schema: {
        tags,
        operationId: "setArmState",
        summary: "Pause, retire or reactivate an arm",
        security: adminOne.security,
        params: armParams,
        body: armStateBody,
        response: {
          200: { description: "The experiment", ...experimentRef },
          ...errorResponses(401, 403, 404, 409, 413, 415),
        },
      },
    },
    (request) => service.setArmState(request.params.id, request.params.armId, request.body),
  );

  app.get<IdParams>(
    "/v1/experiments/:id/stats",
    {
      config: readOne.config,
      // Monte Carlo summaries can be non-finite in degenerate posteriors: JSON.stringify writes
      // null where fast-json-stringify would throw, and this route is not on the hot path.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags,
        operationId: "getExperimentStats",
        summary: "Posterior summaries per segment and arm, group comparison and uplift",
        security: readOne.security,
        params: experimentParams,
        response: {
          200: { description: "Statistics of the experiment", ...statsRef },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    (request) => service.stats(request.params.id),
  );
}

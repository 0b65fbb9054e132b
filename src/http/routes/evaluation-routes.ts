import type { FastifyInstance, FastifyRequest } from "fastify";
import { BanditryError } from "../../domain/errors.js";
import type { EvaluationRecord, EvaluationService } from "../../evaluation/evaluation-types.js";
import type { RouteDeps } from "../route-deps.js";
import { guarded } from "../route-deps.js";
import { errorResponses } from "../schemas/error-schema.js";
import {
  createEvaluationBody,
  createEvaluationQuery,
  evaluationListSchema,
  evaluationParams,
  evaluationSchema,
} from "../schemas/evaluation-schema.js";
import { experimentParams } from "../schemas/experiment-schema.js";

export type EvaluationRouteDeps = RouteDeps & { evaluations: EvaluationService };

/** NaN (an estimate left undefined, e.g. SNIPS with no weight) becomes null, as JSON has it. */
function wire(record: EvaluationRecord): EvaluationRecord {
  return JSON.parse(JSON.stringify(record)) as EvaluationRecord;
}

/** Keys bound to an experiment see only its evaluations (answered as unknown, like other ids). */
async function visible(request: FastifyRequest, evaluations: EvaluationService, id: string): Promise<EvaluationRecord> {
  const record = await evaluations.get(id);
  const bound = request.apiKey?.experimentId ?? null;
  if (bound !== null && bound !== record.experimentId) {
    throw new BanditryError("BANDITRY_EVALUATION_NOT_FOUND", `no evaluation ${JSON.stringify(id)}`, {
      field: "evalId",
    });
  }
  return record;
}

/** Offline (counterfactual) evaluations of candidate policies over an experiment's logged decisions. */
export function evaluationRoutes(app: FastifyInstance, { service, evaluations }: EvaluationRouteDeps): void {
  const tags = ["evaluations"];
  const adminOne = guarded("admin", { experimentParam: true });
  const readOne = guarded("read", { experimentParam: true });

  app.post<{ Params: { id: string }; Querystring: { wait?: "true" | "false" }; Body: Record<string, unknown> }>(
    "/v1/experiments/:id/evaluations",
    {
      config: adminOne.config,
      schema: {
        tags,
        operationId: "createEvaluation",
        summary:
          "Evaluate candidate policies offline (IPS, SNIPS, doubly robust) on the logged decisions of a time range",
        description:
          "Answers 201 with the pending record at once and runs in the background (poll GET /v1/evaluations/{evalId}); " +
          "with ?wait=true it answers once the evaluation has finished (succeeded or failed).",
        security: adminOne.security,
        params: experimentParams,
        querystring: createEvaluationQuery,
        body: createEvaluationBody,
        response: {
          201: { description: "The evaluation (pending, or finished with wait=true)", ...evaluationSchema },
          ...errorResponses(401, 403, 404, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const input = { ...request.body, experimentId: request.params.id };
      const record = request.query.wait === "true" ? await evaluations.run(input) : await evaluations.create(input);
      return reply.code(201).send(wire(record));
    },
  );

  app.get<{ Params: { id: string } }>(
    "/v1/experiments/:id/evaluations",
    {
      config: readOne.config,
      schema: {
        tags,
        operationId: "listEvaluations",
        summary: "An experiment's evaluations, newest first",
        security: readOne.security,
        params: experimentParams,
        response: {
          200: { description: "The evaluations", ...evaluationListSchema },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (request) => {
      await service.getExperiment(request.params.id); // 404 for an unknown experiment
      return { evaluations: (await evaluations.list(request.params.id)).map(wire) };
    },
  );

  const read = guarded("read");
  app.get<{ Params: { evalId: string } }>(
    "/v1/evaluations/:evalId",
    {
      config: read.config,
      schema: {
        tags,
        operationId: "getEvaluation",
        summary: "An evaluation: its status and, once succeeded, the estimates",
        security: read.security,
        params: evaluationParams,
        response: { 200: { description: "The evaluation", ...evaluationSchema }, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => wire(await visible(request, evaluations, request.params.evalId)),
  );

  const admin = guarded("admin");
  app.delete<{ Params: { evalId: string } }>(
    "/v1/evaluations/:evalId",
    {
      config: admin.config,
      schema: {
        tags,
        operationId: "deleteEvaluation",
        summary: "Delete an evaluation (a running one stops)",
        security: admin.security,
        params: evaluationParams,
        response: { 204: { type: "null", description: "Deleted" }, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await visible(request, evaluations, request.params.evalId);
      await evaluations.delete(request.params.evalId);
      return reply.code(204).send();
    },
  );
}

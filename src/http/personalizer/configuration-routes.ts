import type { FastifyInstance } from "fastify";
import { BanditryError } from "../../domain/errors.js";
import { readObject, readString } from "../../domain/validate.js";
import { loopEvaluation } from "../../personalizer/personalizer-evaluations.js";
import { notImplemented } from "./not-implemented.js";
import { loopOf, type PersonalizerContext } from "./personalizer-context.js";
import { routeOptions } from "./route-options.js";

/** configurations/service, configurations/policy, configurations/applyFromEvaluation. */
export function configurationRoutes(app: FastifyInstance, ctx: PersonalizerContext): void {
  const { loops, keys, style } = ctx;
  app.get("/configurations/service", routeOptions(keys, "read", "BadRequest"), (request) =>
    loops.serviceConfiguration(loopOf(request), style),
  );
  app.put("/configurations/service", routeOptions(keys, "admin", "InvalidServiceConfiguration"), (request) =>
    loops.updateServiceConfiguration(loopOf(request), request.body, style),
  );
  app.get("/configurations/policy", routeOptions(keys, "read", "BadRequest"), (request) =>
    loops.policy(loopOf(request)),
  );
  app.put("/configurations/policy", routeOptions(keys, "admin", "InvalidPolicyConfiguration"), (request) =>
    loops.updatePolicy(loopOf(request), request.body),
  );
  app.delete("/configurations/policy", routeOptions(keys, "admin", "BadRequest"), (request) =>
    loops.resetPolicy(loopOf(request)),
  );
  app.post(
    "/configurations/applyFromEvaluation",
    routeOptions(keys, "admin", "InvalidPolicyContract"),
    async (request, reply) => {
      if (ctx.evaluations === undefined) return notImplemented(reply);
      const loopId = loopOf(request);
      const o = readObject(request.body, "body");
      const evaluationId = readString(o.evaluationId, "evaluationId");
      const policyName = readString(o.policyName, "policyName");
      const record = await loopEvaluation(ctx.evaluations, loopId, evaluationId);
      const policy = record.policies.find((p) => p.name === policyName);
      if (policy === undefined) {
        throw new BanditryError(
          "BANDITRY_VALIDATION",
          `evaluation ${JSON.stringify(evaluationId)} has no policy named ${JSON.stringify(policyName)}`,
          { field: "policyName" },
        );
      }
      const args = typeof policy.arguments === "string" ? policy.arguments : "";
      await loops.updatePolicy(loopId, { name: policy.name, arguments: args });
      return reply.code(204).send();
    },
  );
}

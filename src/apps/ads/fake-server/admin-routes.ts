import type { FastifyInstance } from "fastify";
import type { FakeContext } from "./fake-context.js";
import type { FaultRule } from "./fault-controller.js";

/**
 * Control of a local server running in another process (demos, end-to-end runs): advance
 * the simulated days, inject faults, read the state. Not part of Amazon's API.
 */
export function registerAdminRoutes(app: FastifyInstance, ctx: FakeContext): void {
  app.post("/__fake/advance", async (request, reply) => {
    const body = parseOr(request.body, {}) as { days?: unknown } | undefined;
    const days = Number(body?.days ?? 1);
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      return reply.code(400).send({ error: `days must be an integer in 1…3650, got ${String(body?.days)}` });
    }
    const result = [...ctx.profiles.values()].map((m) => ({
      profileId: m.profile.profileId,
      days: m.advanceDays(days),
      today: m.today,
    }));
    return reply.code(200).send(result);
  });

  app.post("/__fake/faults", async (request, reply) => {
    const rules = parseOr(request.body, undefined) as FaultRule | FaultRule[] | undefined;
    if (rules === undefined || rules === null || typeof rules !== "object") {
      return reply.code(400).send({ error: "body must be a fault rule or an array of them" });
    }
    ctx.faults.add(...(Array.isArray(rules) ? rules : [rules]));
    return reply.code(200).send({ pending: ctx.faults.pending() });
  });

  app.get("/__fake/state", async (_request, reply) =>
    reply.code(200).send({
      profiles: [...ctx.profiles.values()].map((m) => ({
        profileId: m.profile.profileId,
        today: m.today,
        keywords: m.keywords().length,
      })),
      pendingFaults: ctx.faults.pending(),
      requests: ctx.requests.length,
    }),
  );
}

function parseOr(body: unknown, fallback: unknown): unknown {
  if (typeof body !== "string" || body === "") return fallback;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

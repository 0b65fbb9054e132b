import type { FastifyInstance } from "fastify";
import type { FakeContext } from "./fake-context.js";
import { stringifyWithRawIntegers } from "./raw-json.js";
import { guard } from "./request-guard.js";
import { sendBody } from "./send-body.js";

/** GET /v2/profiles: one profile per simulated marketplace; profileId an int64 JSON number. */
export function registerProfileRoutes(app: FastifyInstance, ctx: FakeContext): void {
  app.get("/v2/profiles", async (request, reply) => {
    if (!guard(ctx, request, reply, { family: "v2", scoped: false }).ok) return reply;
    const profiles = [...ctx.profiles.values()].map((m) => ({
      profileId: BigInt(m.profile.profileId),
      countryCode: m.profile.countryCode,
      currencyCode: m.profile.currencyCode,
      dailyBudget: 999999999.0,
      timezone: m.profile.timezone,
      accountInfo: {
        marketplaceStringId: m.profile.marketplaceStringId,
        id: m.profile.accountId,
        type: "seller",
        name: m.profile.accountName,
        validPaymentMethod: true,
      },
    }));
    return sendBody(reply, 200, "application/json", stringifyWithRawIntegers(profiles));
  });
}

import type { FastifyInstance } from "fastify";
import { sendApiError } from "./api-errors.js";
import type { FakeContext } from "./fake-context.js";
import { sendBody } from "./send-body.js";

/** Login with Amazon: POST /auth/o2/token, refresh-token grant, form-encoded. */
export function registerLwaRoutes(app: FastifyInstance, ctx: FakeContext): void {
  app.post("/auth/o2/token", async (request, reply) => {
    const fail = (status: number, lwaError: string, message: string) =>
      sendApiError(reply, "lwa", status, message, { lwaError });
    const type = String(request.headers["content-type"] ?? "")
      .split(";")[0]!
      .trim()
      .toLowerCase();
    if (type !== "application/x-www-form-urlencoded") {
      return fail(400, "invalid_request", `Content-Type must be application/x-www-form-urlencoded, got ${type}`);
    }
    const form = new URLSearchParams(typeof request.body === "string" ? request.body : "");
    const grantType = form.get("grant_type");
    if (grantType === null) return fail(400, "invalid_request", "grant_type is required");
    if (grantType !== "refresh_token") {
      return fail(400, "unsupported_grant_type", `grant_type ${grantType} is not supported here`);
    }
    const clientId = form.get("client_id");
    const clientSecret = form.get("client_secret");
    if (clientId === null || clientSecret === null) {
      return fail(400, "invalid_request", "client_id and client_secret are required");
    }
    const client = ctx.tokens.client(clientId);
    if (client === undefined || client.clientSecret !== clientSecret) {
      return fail(401, "invalid_client", "Client authentication failed");
    }
    const refreshToken = form.get("refresh_token");
    if (refreshToken === null || refreshToken === "") return fail(400, "invalid_request", "refresh_token is required");
    if (!client.refreshTokens.includes(refreshToken)) {
      return fail(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token");
    }
    const { accessToken, expiresIn } = ctx.tokens.issue(clientId);
    return sendBody(
      reply,
      200,
      "application/json;charset=UTF-8",
      JSON.stringify({
        access_token: accessToken,
        refresh_token: refreshToken,
        token_type: "bearer",
        expires_in: expiresIn,
      }),
    );
  });
}

import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { personalizerErrorReply } from "../../personalizer/personalizer-errors.js";

type FrameworkErrorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;

/**
 * Fastify's framework errors (a malformed URL, an over-long path parameter) are raised before
 * routing, outside the Personalizer plugins: answer them in Personalizer's shape under
 * /personalizer/, and with the v1 handler elsewhere.
 */
export function withPersonalizerFrameworkErrors(v1: FrameworkErrorHandler): FrameworkErrorHandler {
  return (error, request, reply) => {
    if (!request.url.startsWith("/personalizer/")) return v1(error, request, reply);
    const notFound = error.code === "FST_ERR_MAX_PARAM_LENGTH";
    const { status, body } = personalizerErrorReply(
      notFound
        ? { statusCode: 404, message: "a path parameter is too long" }
        : { statusCode: 400, message: "the URL is malformed" },
      "BadRequest",
    );
    void reply.code(status).send(body);
  };
}

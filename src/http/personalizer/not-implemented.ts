import type { FastifyReply } from "fastify";
import { personalizerErrorBody } from "../../personalizer/personalizer-errors.js";

/** 501 when the server runs without the offline evaluation service. */
export function notImplemented(reply: FastifyReply): FastifyReply {
  return reply
    .code(501)
    .send(personalizerErrorBody("NotImplemented", "offline evaluations are not available on this server"));
}

import type { FastifyReply } from "fastify";

/**
 * Sends text with exactly this Content-Type. (Fastify lower-cases a string payload's type and
 * appends a charset; Amazon answers "application/vnd.spKeyword.v3+json" as written.)
 */
export function sendBody(reply: FastifyReply, status: number, contentType: string, text: string): FastifyReply {
  return reply.code(status).header("content-type", contentType).send(Buffer.from(text, "utf8"));
}

import type { PersonalizerErrorCode } from "../../personalizer/personalizer-errors.js";

/** What a Personalizer route tells its error handler. */
declare module "fastify" {
  interface FastifyContextConfig {
    /** The route's bad-request code (InvalidRankRequest on rank, …). */
    personalizerCode?: PersonalizerErrorCode;
  }
}

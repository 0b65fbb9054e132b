import type { ApiKeyRecord, Scope } from "../stores/stores.js";

/** What routes declare for the auth hook, and what it leaves on the request. */
declare module "fastify" {
  interface FastifyContextConfig {
    /** The scope a key needs (admin always passes); absent = public route. */
    scope?: Scope;
    /** The route names an experiment in params.id: keys bound to another experiment are refused. */
    experimentParam?: boolean;
    /** Keys bound to an experiment may not use this route at all (key management). */
    unboundOnly?: boolean;
  }
  interface FastifyRequest {
    /** The verified key of this request (null on public routes). */
    apiKey: ApiKeyRecord | null;
  }
}

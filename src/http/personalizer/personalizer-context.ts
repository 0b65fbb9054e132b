import type { FastifyRequest } from "fastify";
import type { KeyService } from "../../auth/key-service.js";
import type { EvaluationService } from "../../evaluation/evaluation-types.js";
import type { DurationStyle } from "../../personalizer/personalizer-duration.js";
import type { PersonalizerLoops } from "../../personalizer/personalizer-loops.js";
import type { JsonBodyParser } from "../json-body-parser.js";

/** What the Personalizer route files get: the loops, keys, evaluations, and the version's ways. */
export interface PersonalizerContext {
  loops: PersonalizerLoops;
  keys: KeyService;
  evaluations: EvaluationService | undefined;
  /** e.g. "/personalizer/v1.0" */
  prefix: string;
  /** v1.0 wrote durations as hh:mm:ss, the previews as ISO-8601. */
  style: DurationStyle;
  /** The app's JSON body parser: given, the rank route passes its bodies on unparsed (RawJsonBody) for the rank thread. */
  rawRankBodies: JsonBodyParser | undefined;
}

/** The loop of the request: its key's bound experiment (the auth hook refused unbound keys). */
export function loopOf(request: FastifyRequest): string {
  return request.apiKey?.experimentId ?? "";
}

import type { FastifyInstance, FastifyRequest } from "fastify";
import { RawJsonBody } from "../domain/raw-json-body.js";
import { type JsonBodyParser, TOO_DEEP, tooDeepError } from "./json-body-parser.js";

type Done = (err: Error | null, body?: unknown) => void;
type ContentParser = (request: FastifyRequest, body: string | Buffer, done: Done) => void;

/**
 * The app's parser of application/json bodies. An empty body is "no body" (e.g. POST
 * …/activate sent with a JSON content type); deep nesting is refused before parsing.
 *
 * JSON.parse (in `bodies`) is about twice as fast as the prototype-poisoning-safe parser. A
 * body without \u escapes spells every key literally, so one that contains neither __proto__
 * nor constructor cannot poison; the rest (and any invalid body, for the parser's error) goes
 * through the safe parser.
 *
 * `raw`: a body JSON.parse may take is passed on unparsed, as a RawJsonBody whose parse() does
 * what this parser would have done (the Personalizer rank route parses on its rank thread).
 */
export function jsonContentParser(app: FastifyInstance, bodies: JsonBodyParser, raw = false): ContentParser {
  const safeParse = app.getDefaultJsonParser("error", "error");
  const parse = (request: FastifyRequest, text: string, done: Done): void => {
    let value: unknown;
    try {
      value = bodies.parse(text);
    } catch {
      safeParse(request, text, done);
      return;
    }
    done(value === TOO_DEEP ? tooDeepError() : null, value === TOO_DEEP ? undefined : value);
  };
  return (request, body, done) => {
    const text = body as string;
    if (text.length === 0) return done(null, undefined);
    if (!text.includes("__proto__") && !text.includes("constructor") && !text.includes("\\u")) {
      if (raw) return done(null, new RawJsonBody(text, (t) => parseNow(parse, request, t)));
      return parse(request, text, done);
    }
    if (bodies.tooDeep(text)) return done(tooDeepError(), undefined);
    safeParse(request, text, done);
  };
}

/** `parse` (whose callback both parsers call before returning) as a function that returns or throws. */
function parseNow(
  parse: (request: FastifyRequest, text: string, done: Done) => void,
  request: FastifyRequest,
  text: string,
): unknown {
  let failure: Error | null = null;
  let value: unknown;
  parse(request, text, (err, body) => {
    failure = err;
    value = body;
  });
  if (failure !== null) throw failure;
  return value;
}

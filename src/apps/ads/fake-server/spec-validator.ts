import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { BanditryError } from "../../../domain/errors.js";
import { EXTRA_SCHEMAS, type ExtraSchemaName } from "./extra-schemas.js";
import { openApiToJsonSchema } from "./openapi-to-json-schema.js";

const SPEC_FILE = "SponsoredProducts_prod_3p.json";
const SPEC_ID = "sp-v3";

/**
 * Where Amazon's Sponsored Products v3 OpenAPI file lives: beside this module under spec/,
 * or, when running the compiled dist/, in the source tree above it.
 */
export function defaultSpecPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  const beside = join(dir, "spec", SPEC_FILE);
  if (existsSync(beside)) return beside;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, "src", "apps", "ads", "fake-server", "spec", SPEC_FILE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return beside;
}

type OpenApiSpec = {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown> };
};
type OpenApiOperation = {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

/**
 * Validates bodies against the SP v3 OpenAPI spec (converted for ajv) and against the
 * hand-written schemas of the APIs that spec leaves out (LWA, profiles, reporting).
 * Validators are compiled on first use and cached.
 */
export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly spec: OpenApiSpec;
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(specPath: string = defaultSpecPath()) {
    this.spec = JSON.parse(readFileSync(specPath, "utf8")) as OpenApiSpec;
    this.ajv = new Ajv({
      allErrors: true,
      strict: true,
      strictTypes: false,
      strictTuples: false,
      strictRequired: false,
    });
    addOpenApiFormats(this.ajv);
    const definitions = Object.fromEntries(
      Object.entries(this.spec.components.schemas).map(([name, s]) => [
        name,
        openApiToJsonSchema(s, `${SPEC_ID}#/definitions/`),
      ]),
    );
    this.ajv.addSchema({ $id: SPEC_ID, definitions });
  }

  /** Names of the spec's operations as "METHOD /path" (for coverage checks). */
  operations(): string[] {
    return Object.entries(this.spec.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
  }

  /** Media types the spec lists for an operation's request body. */
  requestMediaTypes(method: string, path: string): string[] {
    return Object.keys(this.operation(method, path)?.requestBody?.content ?? {});
  }

  /** Errors of a request body (empty: valid); throws when the spec has no such operation. */
  request(method: string, path: string, mediaType: string, body: unknown): string[] {
    const key = `req ${method} ${path} ${mediaType}`;
    const schema = byMediaType(this.operation(method, path)?.requestBody?.content, mediaType)?.schema;
    return this.run(key, schema, body, `${method} ${path} request (${mediaType})`);
  }

  /** Errors of a response body for the status and media type the spec documents. */
  response(method: string, path: string, status: number, mediaType: string, body: unknown): string[] {
    const key = `res ${method} ${path} ${status} ${mediaType}`;
    const schema = byMediaType(this.operation(method, path)?.responses?.[String(status)]?.content, mediaType)?.schema;
    return this.run(key, schema, body, `${method} ${path} ${status} response (${mediaType})`);
  }

  /** Errors of a body against one of the hand-written schemas. */
  named(name: ExtraSchemaName, body: unknown): string[] {
    return this.run(`extra ${name}`, EXTRA_SCHEMAS[name], body, name, false);
  }

  private operation(method: string, path: string): OpenApiOperation | undefined {
    return this.spec.paths[path]?.[method.toLowerCase()];
  }

  private run(key: string, schema: unknown, body: unknown, what: string, convert = true): string[] {
    let validate = this.cache.get(key);
    if (validate === undefined) {
      validate =
        schema === undefined
          ? null
          : this.ajv.compile((convert ? openApiToJsonSchema(schema, `${SPEC_ID}#/definitions/`) : schema) as object);
      this.cache.set(key, validate);
    }
    if (validate === null) throw new BanditryError("BANDITRY_INTERNAL", `the spec documents no ${what}`);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "(body)"} ${e.message ?? "is invalid"}`);
  }
}

/** The content entry for a media type; media types compare case-insensitively (RFC 9110). */
function byMediaType<T>(content: Record<string, T> | undefined, mediaType: string): T | undefined {
  const wanted = mediaType.toLowerCase();
  const key = Object.keys(content ?? {}).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : content![key];
}

/** OpenAPI's formats: integer ranges, doubles, RFC 3339 dates (and the spec's odd spellings). */
function addOpenApiFormats(ajv: Ajv): void {
  ajv.addFormat("int32", { type: "number", validate: (x) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (x) => Number.isInteger(x) });
  for (const name of ["double", "Double", "float"]) ajv.addFormat(name, { type: "number", validate: () => true });
  ajv.addFormat("integer", { type: "number", validate: (x) => Number.isInteger(x) });
  ajv.addFormat("date", /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
}

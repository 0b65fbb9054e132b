/**
 * OpenAPI 3.0 schema objects → JSON Schema (draft-07) for ajv: `nullable: true` becomes a
 * "null" type (or enum member), annotation-only keywords ajv's strict mode refuses
 * (example, discriminator, xml, externalDocs, deprecated, readOnly, writeOnly) are dropped,
 * and "#/components/schemas/X" references point at `${prefix}X`. Walks schema positions
 * only, so a property that happens to be called "example" survives.
 */
export function openApiToJsonSchema(schema: unknown, refPrefix: string): unknown {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const s = schema as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s)) {
    switch (key) {
      case "example":
      case "examples":
      case "discriminator":
      case "xml":
      case "externalDocs":
      case "deprecated":
      case "readOnly":
      case "writeOnly":
      case "nullable":
        break;
      case "$ref":
        out[key] = String(value).replace("#/components/schemas/", refPrefix);
        break;
      case "properties":
      case "patternProperties":
        out[key] = Object.fromEntries(
          Object.entries(value as Record<string, unknown>).map(([name, sub]) => [
            name,
            openApiToJsonSchema(sub, refPrefix),
          ]),
        );
        break;
      case "items":
      case "additionalProperties":
      case "not":
        out[key] = typeof value === "object" ? openApiToJsonSchema(value, refPrefix) : value;
        break;
      case "allOf":
      case "anyOf":
      case "oneOf":
        out[key] = (value as unknown[]).map((sub) => openApiToJsonSchema(sub, refPrefix));
        break;
      default:
        out[key] = value;
    }
  }
  if (s["nullable"] === true) {
    if (typeof out["$ref"] === "string") {
      // OpenAPI 3.0 ignores siblings of $ref; a nullable reference is "the ref, or null"
      const { $ref, ...rest } = out;
      return { ...rest, anyOf: [{ $ref }, { type: "null" }] };
    }
    if (typeof out["type"] === "string") out["type"] = [out["type"], "null"];
    if (Array.isArray(out["enum"]) && !out["enum"].includes(null)) out["enum"] = [...out["enum"], null];
  }
  return out;
}

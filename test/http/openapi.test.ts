import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { API_ROUTES } from "./helpers/routes.js";
import { createTestApp, type TestApp } from "./helpers/test-app.js";

/*
 * Structural checks of the OpenAPI 3.0 rules a generated document can break: required
 * fields, path parameters matching the template, resolvable $refs, unique operation ids,
 * known security schemes, and schema objects limited to the OpenAPI 3.0 dialect.
 */

type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const OAS30_TYPES = ["string", "number", "integer", "boolean", "array", "object"];
/** JSON Schema keywords that OpenAPI 3.0 schema objects do not have. */
const NOT_IN_OAS30 = ["$id", "$schema", "const", "examples", "patternProperties", "if", "then", "else", "$defs"];

let t: TestApp;
let doc: Json;
before(async () => {
  t = await createTestApp();
  const res = await t.app.inject({ method: "GET", url: "/docs/json" });
  assert.equal(res.statusCode, 200);
  doc = res.json();
});
after(() => t.close());

function resolve(ref: string): unknown {
  assert.ok(ref.startsWith("#/"), `external or malformed $ref ${ref}`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split("/")) {
    node = (node as Json | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

function checkSchema(schema: unknown, where: string): void {
  assert.ok(schema !== null && typeof schema === "object" && !Array.isArray(schema), `${where}: schema is an object`);
  const s = schema as Json;
  if (typeof s.$ref === "string") {
    assert.ok(resolve(s.$ref) !== undefined, `${where}: $ref ${s.$ref} resolves`);
    return;
  }
  for (const k of NOT_IN_OAS30) assert.ok(!(k in s), `${where}: "${k}" is not OpenAPI 3.0`);
  if ("type" in s) {
    assert.equal(typeof s.type, "string", `${where}: type is one string in OpenAPI 3.0`);
    assert.ok(OAS30_TYPES.includes(s.type as string), `${where}: type ${String(s.type)}`);
  }
  if ("nullable" in s) assert.ok("type" in s, `${where}: nullable needs a type`);
  if (s.type === "array") assert.ok("items" in s, `${where}: an array schema needs items`);
  if ("required" in s) assert.ok(Array.isArray(s.required) && s.required.length > 0, `${where}: required`);
  for (const [k, v] of Object.entries((s.properties as Json | undefined) ?? {})) checkSchema(v, `${where}.${k}`);
  if (s.items !== undefined) checkSchema(s.items, `${where}[]`);
  if (typeof s.additionalProperties === "object") checkSchema(s.additionalProperties, `${where}{}`);
  for (const k of ["allOf", "anyOf", "oneOf"]) {
    for (const [i, v] of ((s[k] as unknown[] | undefined) ?? []).entries()) checkSchema(v, `${where}.${k}[${i}]`);
  }
}

describe("OpenAPI document at /docs/json", () => {
  it("is an OpenAPI 3.0 document with info and a bearer security scheme", () => {
    assert.match(String(doc.openapi), /^3\.0\.\d+$/);
    const info = doc.info as Json;
    assert.equal(typeof info.title, "string");
    assert.equal(typeof info.version, "string");
    const schemes = (doc.components as Json).securitySchemes as Json;
    assert.deepEqual(schemes.bearerAuth, { type: "http", scheme: "bearer" });
    for (const [name, schema] of Object.entries((doc.components as Json).schemas as Json)) {
      checkSchema(schema, `components.schemas.${name}`);
    }
  });

  it("describes every operation validly", () => {
    const operationIds = new Set<string>();
    const schemes = Object.keys(((doc.components as Json).securitySchemes as Json) ?? {});
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      assert.ok(path.startsWith("/"), path);
      if (path.startsWith("/personalizer/")) continue; // Azure's API, not v1 (see below)
      const templateParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
      for (const [method, op] of Object.entries(item as Json)) {
        assert.ok(METHODS.includes(method), `${path}: ${method} is an HTTP method`);
        const o = op as Json;
        const where = `${method.toUpperCase()} ${path}`;
        assert.equal(typeof o.operationId, "string", `${where}: operationId`);
        assert.ok(!operationIds.has(o.operationId as string), `${where}: operationId is unique`);
        operationIds.add(o.operationId as string);

        const params = (o.parameters as Json[] | undefined) ?? [];
        for (const p of params) {
          assert.ok(["path", "query", "header", "cookie"].includes(p.in as string), `${where}: parameter in`);
          assert.equal(typeof p.name, "string");
          if (p.in === "path") assert.equal(p.required, true, `${where}: path parameter ${String(p.name)} is required`);
          checkSchema(p.schema, `${where} parameter ${String(p.name)}`);
        }
        assert.deepEqual(
          params
            .filter((p) => p.in === "path")
            .map((p) => p.name)
            .sort(),
          templateParams,
          `${where}: path parameters match the template`,
        );

        if (o.requestBody !== undefined) {
          const content = (o.requestBody as Json).content as Json;
          assert.ok(content["application/json"], `${where}: JSON request body`);
          checkSchema((content["application/json"] as Json).schema, `${where} body`);
        }

        const responses = o.responses as Json;
        assert.ok(Object.keys(responses).length > 0, `${where}: responses`);
        for (const [status, response] of Object.entries(responses)) {
          assert.match(status, /^([1-5]\d\d|[1-5]XX|default)$/, `${where}: response key ${status}`);
          const r = response as Json;
          assert.equal(typeof r.description, "string", `${where} ${status}: description is required`);
          for (const [type, media] of Object.entries((r.content as Json | undefined) ?? {})) {
            checkSchema((media as Json).schema, `${where} ${status} ${type}`);
          }
        }
        for (const requirement of (o.security as Json[] | undefined) ?? []) {
          for (const name of Object.keys(requirement)) assert.ok(schemes.includes(name), `${where}: scheme ${name}`);
        }
      }
    }
  });

  it("lists every route of the API with its method, and marks guarded ones with bearer auth", () => {
    const paths = doc.paths as Record<string, Record<string, Json>>;
    for (const route of API_ROUTES) {
      const op = paths[route.template]?.[route.method.toLowerCase()];
      assert.ok(op, `${route.method} ${route.template} is documented`);
      if (route.scope === null) assert.equal(op.security, undefined);
      else assert.deepEqual(op.security, [{ bearerAuth: [] }], `${route.method} ${route.template} security`);
    }
    // The Personalizer-compatible API (/personalizer/…) is Azure's, not v1: its own tests cover it.
    const documented = Object.entries(paths)
      .filter(([p]) => !p.startsWith("/personalizer/"))
      .flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${p}`));
    assert.equal(documented.length, API_ROUTES.length, `no undocumented extras: ${documented.join(", ")}`);
  });

  it("serves the Swagger UI at /docs", async () => {
    const res = await t.app.inject({ method: "GET", url: "/docs" });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /text\/html/);
  });
});

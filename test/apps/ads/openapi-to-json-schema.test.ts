import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openApiToJsonSchema } from "../../../src/apps/ads/fake-server/openapi-to-json-schema.js";
import { SpecValidator } from "../../../src/apps/ads/fake-server/spec-validator.js";

describe("OpenAPI 3.0 schemas for ajv", () => {
  it("turns nullable into a null type, enum member or alternative", () => {
    assert.deepEqual(openApiToJsonSchema({ type: "number", nullable: true, example: 1 }, "x#/"), {
      type: ["number", "null"],
    });
    assert.deepEqual(openApiToJsonSchema({ type: "string", enum: ["A"], nullable: true }, "x#/"), {
      type: ["string", "null"],
      enum: ["A", null],
    });
    assert.deepEqual(openApiToJsonSchema({ $ref: "#/components/schemas/Budget", nullable: true }, "x#/"), {
      anyOf: [{ $ref: "x#/Budget" }, { type: "null" }],
    });
  });

  it("keeps properties whose names are OpenAPI keywords", () => {
    const out = openApiToJsonSchema(
      { type: "object", properties: { example: { type: "string", example: "e" }, nullable: { type: "boolean" } } },
      "x#/",
    );
    assert.deepEqual(out, {
      type: "object",
      properties: { example: { type: "string" }, nullable: { type: "boolean" } },
    });
  });

  it("validates with the spec: a null bid is allowed in updates, a string bid is not", () => {
    const v = new SpecValidator();
    const mt = "application/vnd.spKeyword.v3+json";
    assert.deepEqual(v.request("PUT", "/sp/keywords", mt, { keywords: [{ keywordId: "1", bid: null }] }), []);
    assert.deepEqual(v.request("PUT", "/sp/keywords", mt, { keywords: [{ keywordId: "1", bid: "1" }] }), [
      "/keywords/0/bid must be number,null",
    ]);
    assert.throws(() => v.request("PATCH", "/sp/keywords", mt, {}), /documents no/);
  });
});

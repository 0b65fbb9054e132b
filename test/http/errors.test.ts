import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { createTestApp, experimentBody, type TestApp } from "./helpers/test-app.js";

let t: TestApp;
before(async () => {
  t = await createTestApp({ bodyLimit: 4096 });
  await t.app.inject({ method: "POST", url: "/v1/experiments", headers: t.auth.admin, payload: experimentBody("exp") });
});
after(() => t.close());

function raw(url: string, payload: string, contentType = "application/json", method: "POST" | "PATCH" = "POST") {
  return t.app.inject({ method, url, headers: { ...t.auth.admin, "content-type": contentType }, payload });
}

function assertError(res: { statusCode: number; json(): unknown }, status: number, code: string) {
  assert.equal(res.statusCode, status);
  const body = res.json() as { error: { code: string; message: string } };
  assert.equal(body.error.code, code);
  assert.ok(body.error.message.length > 0);
  return body.error;
}

describe("request errors", () => {
  it("413 BANDITRY_PAYLOAD_TOO_LARGE above the body limit", async () => {
    const big = JSON.stringify({ context: { s: "x".repeat(5000) } });
    assertError(await raw("/v1/experiments/exp/decisions", big), 413, "BANDITRY_PAYLOAD_TOO_LARGE");
  });

  it("400 for malformed JSON, an empty body where one is needed, and prototype poisoning", async () => {
    const e = assertError(await raw("/v1/experiments/exp/decisions", "{bad"), 400, "BANDITRY_VALIDATION");
    assert.match(e.message, /not valid JSON/);
    assertError(await raw("/v1/experiments/exp/decisions", ""), 400, "BANDITRY_VALIDATION");
    assertError(await raw("/v1/experiments/exp/decisions", '{"__proto__":{"admin":true}}'), 400, "BANDITRY_VALIDATION");
    // the same key spelled with escapes
    assertError(
      await raw("/v1/experiments/exp/decisions", '{"\\u005f_proto__":{"admin":true}}'),
      400,
      "BANDITRY_VALIDATION",
    );
    assertError(
      await raw("/v1/experiments/exp/decisions", '{"constructor":{"prototype":{"x":1}}}'),
      400,
      "BANDITRY_VALIDATION",
    );
  });

  it("400 for bodies nested deeper than 64 levels", async () => {
    const deep = `{"context":{"a":${"[".repeat(100)}${"]".repeat(100)}}}`;
    const e = assertError(await raw("/v1/experiments/exp/decisions", deep), 400, "BANDITRY_VALIDATION");
    assert.match(e.message, /64/);
    // also where a \u escape sends the body to the prototype-safe parser
    const escaped = `{"context":{"a\\u0041":${"[".repeat(100)}${"]".repeat(100)}}}`;
    assert.match(
      assertError(await raw("/v1/experiments/exp/decisions", escaped), 400, "BANDITRY_VALIDATION").message,
      /64/,
    );
    // Brackets inside strings do not count.
    const ok = await raw("/v1/experiments/exp/decisions", JSON.stringify({ context: { s: "[".repeat(100) } }));
    assert.equal(ok.statusCode, 201);
  });

  it("415 for a body that is not JSON", async () => {
    assertError(
      await raw("/v1/experiments/exp/decisions", "k=1", "application/x-www-form-urlencoded"),
      415,
      "BANDITRY_UNSUPPORTED_MEDIA_TYPE",
    );
    assertError(await raw("/v1/experiments/exp/decisions", "{}", "text/plain"), 415, "BANDITRY_UNSUPPORTED_MEDIA_TYPE");
    // A charset parameter is fine.
    assert.equal((await raw("/v1/experiments/exp/decisions", "{}", "application/json; charset=utf-8")).statusCode, 201);
  });

  it("404 BANDITRY_NOT_FOUND for unknown routes and methods, with or without a key", async () => {
    for (const [method, url] of [
      ["GET", "/nope"],
      ["GET", "/v1"],
      ["PUT", "/v1/experiments/exp"],
      ["GET", "/v1/experiments/exp/decisions"],
    ] as const) {
      const res = await t.app.inject({ method, url });
      const e = assertError(res, 404, "BANDITRY_NOT_FOUND");
      assert.match(e.message, new RegExp(`${method} `));
    }
  });

  it("400 for a malformed URL", async () => {
    const res = await t.app.inject({ method: "GET", url: "/v1/experiments/%E0%A4%A", headers: t.auth.admin });
    assertError(res, 400, "BANDITRY_VALIDATION");
  });
});

describe("internal errors", () => {
  it("answer 500 BANDITRY_INTERNAL without internals, and are logged with the request id", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const broken = await createTestApp({}, pino({ level: "error" }, sink));
    try {
      await broken.stores.close(); // the database goes away under a running server
      const res = await broken.app.inject({ method: "GET", url: "/v1/experiments", headers: broken.auth.read });
      const e = assertError(res, 500, "BANDITRY_INTERNAL") as { message: string; requestId?: string };
      assert.doesNotMatch(res.body, /destroy|kysely|sqlite|stack|at /i);
      assert.ok(e.requestId);
      const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; err?: { message: string } });
      assert.ok(logged.some((l) => l.reqId === e.requestId && l.err?.message));
    } finally {
      await broken.close();
    }
  });
});

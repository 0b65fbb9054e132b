import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Scope } from "../../src/stores/stores.js";
import { API_ROUTES, fillPath } from "./helpers/routes.js";
import { bearer, createTestApp, experimentBody, type TestApp } from "./helpers/test-app.js";

let t: TestApp;
let eventId: string;
before(async () => {
  t = await createTestApp();
  await t.app.inject({ method: "POST", url: "/v1/experiments", headers: t.auth.admin, payload: experimentBody("exp") });
  await t.app.inject({
    method: "POST",
    url: "/v1/experiments",
    headers: t.auth.admin,
    payload: experimentBody("other"),
  });
  eventId = (
    await t.app.inject({ method: "POST", url: "/v1/experiments/exp/decisions", headers: t.auth.decide, payload: {} })
  ).json().eventId;
});
after(() => t.close());

function request(route: (typeof API_ROUTES)[number], headers: Record<string, string>) {
  const url = fillPath(route.template, {
    id: route.template.startsWith("/v1/keys") ? "key_0000000000000000" : "exp",
    armId: "a",
    eventId,
    evalId: "eval_unknown",
    profileId: "1234567890",
    keywordId: "1",
  });
  const body = route.body?.();
  return t.app.inject({
    method: route.method,
    url,
    headers,
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

const guarded = API_ROUTES.filter((r) => r.scope !== null);

describe("authentication", () => {
  it("answers 401 BANDITRY_UNAUTHORIZED without a valid key, on every guarded route", async () => {
    const bad: Record<string, string>[] = [
      {},
      { authorization: "" },
      { authorization: "Basic dXNlcjpwYXNz" },
      { authorization: "Bearer" },
      { authorization: "Bearer not-a-key" },
      bearer(`bdt_${"A".repeat(43)}`),
    ];
    for (const route of guarded) {
      for (const headers of bad) {
        const res = await request(route, headers);
        assert.equal(res.statusCode, 401, `${route.method} ${route.template} ${JSON.stringify(headers)}`);
        assert.equal(res.json().error.code, "BANDITRY_UNAUTHORIZED");
      }
    }
  });

  it("guards the HEAD twins of GET routes too", async () => {
    for (const url of ["/v1/experiments", "/v1/experiments/exp", "/v1/keys"]) {
      assert.equal((await t.app.inject({ method: "HEAD", url })).statusCode, 401, url);
    }
  });

  it("lets public routes through without a key", async () => {
    for (const url of ["/health", "/metrics", "/docs/json"]) {
      assert.equal((await t.app.inject({ method: "GET", url })).statusCode, 200, url);
    }
  });

  it("accepts the scheme case-insensitively", async () => {
    const secret = t.auth.read.authorization!.slice("Bearer ".length);
    const res = await t.app.inject({
      method: "GET",
      url: "/v1/experiments",
      headers: { authorization: `bearer ${secret}` },
    });
    assert.equal(res.statusCode, 200);
  });
});

describe("scopes", () => {
  const allowed = (key: Scope, route: Scope) => key === "admin" || key === route;
  for (const key of ["admin", "decide", "read"] as const) {
    it(`a ${key} key gets 403 exactly on routes outside its scope`, async () => {
      for (const route of guarded) {
        const res = await request(route, t.auth[key]);
        const label = `${key} key on ${route.method} ${route.template}: ${res.body}`;
        if (allowed(key, route.scope!)) {
          assert.ok(res.statusCode !== 401 && res.statusCode !== 403, label);
        } else {
          assert.equal(res.statusCode, 403, label);
          assert.equal(res.json().error.code, "BANDITRY_FORBIDDEN");
          assert.match(res.json().error.message, new RegExp(`"${route.scope}"`));
        }
      }
    });
  }
});

describe("API keys", () => {
  it("creates a key (secret shown once), lists it without secrets, revokes it at once", async () => {
    const created = await t.app.inject({
      method: "POST",
      url: "/v1/keys",
      headers: t.auth.admin,
      payload: { name: "reader", scopes: ["read"] },
    });
    assert.equal(created.statusCode, 201);
    const { key, secret } = created.json() as { key: { id: string; scopes: string[] }; secret: string };
    assert.match(secret, /^bdt_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(key.scopes, ["read"]);
    assert.equal(
      (await t.app.inject({ method: "GET", url: "/v1/experiments", headers: bearer(secret) })).statusCode,
      200,
    );

    const listed = await t.app.inject({ method: "GET", url: "/v1/keys", headers: t.auth.admin });
    assert.equal(listed.statusCode, 200);
    assert.ok(listed.json().keys.some((k: { id: string }) => k.id === key.id));
    assert.ok(!listed.body.includes(secret), "the secret is never listed");
    assert.ok(!/"hash"/.test(listed.body), "nor its hash");

    const revoked = await t.app.inject({ method: "DELETE", url: `/v1/keys/${key.id}`, headers: t.auth.admin });
    assert.equal(revoked.statusCode, 204);
    const after = await t.app.inject({ method: "GET", url: "/v1/experiments", headers: bearer(secret) });
    assert.equal(after.statusCode, 401, "revocation is immediate in this process");
    const again = await t.app.inject({ method: "DELETE", url: `/v1/keys/${key.id}`, headers: t.auth.admin });
    assert.equal(again.statusCode, 204, "revoking twice is harmless");
    const unknown = await t.app.inject({ method: "DELETE", url: "/v1/keys/key_nope", headers: t.auth.admin });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, "BANDITRY_NOT_FOUND");
  });

  it("refuses bad key requests", async () => {
    for (const payload of [
      { name: "x", scopes: [] },
      { name: "x", scopes: ["root"] },
      { name: "", scopes: ["read"] },
      {},
    ]) {
      const res = await t.app.inject({ method: "POST", url: "/v1/keys", headers: t.auth.admin, payload });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.json().error.code, "BANDITRY_VALIDATION");
    }
  });

  it("limits a key bound to an experiment to that experiment", async () => {
    // (the scope tests archived "exp")
    await t.app.inject({
      method: "POST",
      url: "/v1/experiments",
      headers: t.auth.admin,
      payload: experimentBody("mine"),
    });
    const created = await t.app.inject({
      method: "POST",
      url: "/v1/keys",
      headers: t.auth.admin,
      payload: { name: "bound", scopes: ["decide", "read"], experimentId: "mine" },
    });
    const h = bearer(created.json().secret);
    const mine = await t.app.inject({ method: "POST", url: "/v1/experiments/mine/decisions", headers: h, payload: {} });
    assert.equal(mine.statusCode, 201);
    const theirs = await t.app.inject({
      method: "POST",
      url: "/v1/experiments/other/decisions",
      headers: h,
      payload: {},
    });
    assert.equal(theirs.statusCode, 403);
    assert.equal(theirs.json().error.code, "BANDITRY_FORBIDDEN");
    assert.equal(
      (await t.app.inject({ method: "GET", url: "/v1/experiments/other/stats", headers: h })).statusCode,
      403,
    );
    const list = await t.app.inject({ method: "GET", url: "/v1/experiments", headers: h });
    assert.deepEqual(
      list.json().experiments.map((e: { id: string }) => e.id),
      ["mine"],
    );
    const reward = await t.app.inject({
      method: "POST",
      url: `/v1/decisions/${mine.json().eventId}/reward`,
      headers: h,
      payload: { value: 1 },
    });
    assert.equal(reward.statusCode, 204);

    const boundAdmin = await t.app.inject({
      method: "POST",
      url: "/v1/keys",
      headers: t.auth.admin,
      payload: { name: "bound admin", scopes: ["admin"], experimentId: "mine" },
    });
    const ba = bearer(boundAdmin.json().secret);
    assert.equal((await t.app.inject({ method: "GET", url: "/v1/keys", headers: ba })).statusCode, 403);
    assert.equal((await t.app.inject({ method: "GET", url: "/v1/experiments/mine", headers: ba })).statusCode, 200);
    assert.equal((await t.app.inject({ method: "GET", url: "/v1/experiments/exp", headers: ba })).statusCode, 403);
  });
});

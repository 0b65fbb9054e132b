import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestApp, experimentBody, type TestApp } from "./helpers/test-app.js";

let t: TestApp;
before(async () => {
  t = await createTestApp();
  for (const id of ["dec", "rew", "batch", "act"]) {
    const r = await t.app.inject({
      method: "POST",
      url: "/v1/experiments",
      headers: t.auth.admin,
      payload: experimentBody(id),
    });
    assert.equal(r.statusCode, 201);
  }
  await t.app.inject({
    method: "POST",
    url: "/v1/experiments",
    headers: t.auth.admin,
    payload: experimentBody("sum", { rewardAggregation: "sum", reward: "gaussian" }),
  });
});
after(() => t.close());

async function post(url: string, payload?: unknown) {
  const res = await t.app.inject({
    method: "POST",
    url,
    headers: t.auth.decide,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body === "" ? undefined : res.json() };
}

const decide = (experimentId: string, body: unknown = {}) => post(`/v1/experiments/${experimentId}/decisions`, body);

function assertError(r: { status: number; body: unknown }, status: number, code: string, field?: string) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  const e = (r.body as { error: { code: string; field?: string } }).error;
  assert.equal(e.code, code);
  if (field !== undefined) assert.equal(e.field, field);
}

describe("POST /v1/experiments/{id}/decisions", () => {
  it("answers 201 with the event id, the arm and its value, and the group", async () => {
    const r = await decide("dec");
    assert.equal(r.status, 201);
    const d = r.body as { eventId: string; arm: { id: string; value: unknown }; group: string; ranking?: unknown };
    assert.match(d.eventId, /^[0-9a-f-]{36}$/);
    assert.ok(["a", "b", "c"].includes(d.arm.id));
    if (d.arm.id === "b") assert.deepEqual(d.arm.value, { multiplier: 1.2 });
    assert.equal(d.group, "bandit");
    assert.equal(d.ranking, undefined);
    const stored = await t.stores.eventStore.getDecisions([d.eventId]);
    assert.equal(stored.get(d.eventId)?.armId, d.arm.id, "the decision is durable when answered");
  });

  it("keeps a client event id and refuses it a second time (409)", async () => {
    const r = await decide("dec", { eventId: "client-1", context: { country: "de" }, unitId: "u1" });
    assert.equal(r.status, 201);
    assert.equal((r.body as { eventId: string }).eventId, "client-1");
    assertError(await decide("dec", { eventId: "client-1" }), 409, "BANDITRY_EVENT_EXISTS", "eventId");
  });

  it("ranks k arms with selection probabilities", async () => {
    const r = await decide("dec", { k: 3 });
    assert.equal(r.status, 201);
    const ranking = (r.body as { ranking: { armId: string; probability: number }[] }).ranking;
    assert.deepEqual(ranking.map((x) => x.armId).sort(), ["a", "b", "c"]);
    assert.equal(ranking[0]!.armId, (r.body as { arm: { id: string } }).arm.id);
    for (const x of ranking) assert.ok(x.probability >= 0 && x.probability <= 1);
    const p = await decide("dec", { propensities: true });
    assert.equal(typeof (p.body as { propensity: number }).propensity, "number");
  });

  it("refuses bad input with the field named", async () => {
    assertError(await decide("dec", { k: 4 }), 400, "BANDITRY_K_EXCEEDS_ARMS", "k");
    assertError(await decide("dec", { k: 0 }), 400, "BANDITRY_VALIDATION", "k");
    assertError(await decide("dec", { k: 1.5 }), 400, "BANDITRY_VALIDATION", "k");
    assertError(await decide("dec", { context: "de" }), 400, "BANDITRY_VALIDATION", "context");
    assertError(await decide("dec", { activate: "yes" }), 400, "BANDITRY_VALIDATION", "activate");
    assertError(await decide("dec", { eventId: "" }), 400, "BANDITRY_VALIDATION", "eventId");
    assertError(await decide("dec", { eventId: "x".repeat(257) }), 400, "BANDITRY_VALIDATION", "eventId");
    assertError(await decide("dec", { contxt: {} }), 400, "BANDITRY_VALIDATION", "contxt");
    assertError(await decide("dec", null), 400, "BANDITRY_VALIDATION", "body");
    assertError(await decide("nope"), 404, "BANDITRY_EXPERIMENT_NOT_FOUND");
  });
});

describe("POST /v1/decisions/{eventId}/reward", () => {
  it("records a reward (204), refuses a second under earliest (409)", async () => {
    const d = (await decide("rew")).body as { eventId: string; arm: { id: string } };
    const r = await post(`/v1/decisions/${d.eventId}/reward`, { value: 1 });
    assert.equal(r.status, 204);
    assert.equal(r.body, undefined);
    assertError(await post(`/v1/decisions/${d.eventId}/reward`, { value: 0 }), 409, "BANDITRY_REWARD_EXISTS");
    const stats = await t.engine.stats("rew");
    const arm = stats.segments[0]!.arms.find((a) => a.armId === d.arm.id)!;
    assert.equal(arm.rewards, 1);
    assert.equal(arm.rewardSum, 1);
  });

  it("adds every reward under sum", async () => {
    const d = (await decide("sum")).body as { eventId: string; arm: { id: string } };
    assert.equal((await post(`/v1/decisions/${d.eventId}/reward`, { value: 2.5 })).status, 204);
    assert.equal((await post(`/v1/decisions/${d.eventId}/reward`, { value: -1 })).status, 204);
    const arm = (await t.engine.stats("sum")).segments[0]!.arms.find((a) => a.armId === d.arm.id)!;
    assert.equal(arm.rewardSum, 1.5);
  });

  it("answers 404 for an unknown event and 400 for a bad value", async () => {
    assertError(await post("/v1/decisions/nope/reward", { value: 1 }), 404, "BANDITRY_EVENT_NOT_FOUND");
    const d = (await decide("rew")).body as { eventId: string };
    assertError(await post(`/v1/decisions/${d.eventId}/reward`, { value: 2 }), 400, "BANDITRY_INVALID_REWARD", "value");
    assertError(await post(`/v1/decisions/${d.eventId}/reward`, { value: "1" }), 400, "BANDITRY_VALIDATION", "value");
    assertError(await post(`/v1/decisions/${d.eventId}/reward`, {}), 400, "BANDITRY_VALIDATION", "value");
    assertError(await post(`/v1/decisions/${d.eventId}/reward`), 400, "BANDITRY_VALIDATION", "body");
  });
});

describe("POST /v1/rewards", () => {
  it("answers 200 with one status per item, in order", async () => {
    const a = (await decide("batch")).body as { eventId: string };
    const b = (await decide("batch")).body as { eventId: string };
    const r = await post("/v1/rewards", {
      rewards: [
        { eventId: a.eventId, value: 1 },
        { eventId: a.eventId, value: 1 },
        { eventId: "nope", value: 1 },
        { eventId: b.eventId, value: 7 },
        { eventId: 42, value: 1 },
        {},
      ],
    });
    assert.equal(r.status, 200);
    const results = (r.body as { results: { eventId: string; status: string; error?: { code: string } }[] }).results;
    assert.deepEqual(
      results.map((x) => x.status),
      ["applied", "duplicate", "unknown", "invalid", "invalid", "invalid"],
    );
    assert.equal(results[0]!.eventId, a.eventId);
    assert.equal(results[3]!.error?.code, "BANDITRY_INVALID_REWARD");
    assert.ok(results[4]!.error?.code.startsWith("BANDITRY_"));
  });

  it("caps the batch at 10,000 items with a clear error", async () => {
    const rewards = Array.from({ length: 10_001 }, (_, i) => ({ eventId: `e${i}`, value: 1 }));
    const r = await post("/v1/rewards", { rewards });
    assertError(r, 400, "BANDITRY_VALIDATION", "rewards");
    assert.match((r.body as { error: { message: string } }).error.message, /10000/);
    const ok = await post("/v1/rewards", { rewards: rewards.slice(0, 10_000) });
    assert.equal(ok.status, 200);
    assert.equal((ok.body as { results: unknown[] }).results.length, 10_000);
    assertError(await post("/v1/rewards", { rewards: {} }), 400, "BANDITRY_VALIDATION", "rewards");
    assertError(await post("/v1/rewards", {}), 400, "BANDITRY_VALIDATION", "rewards");
  });
});

describe("POST /v1/decisions/{eventId}/activate", () => {
  it("activates a deferred decision (204): its stored reward then counts", async () => {
    const d = (await decide("act", { activate: false })).body as { eventId: string; arm: { id: string } };
    assert.equal((await post(`/v1/decisions/${d.eventId}/reward`, { value: 1 })).status, 204);
    const before = (await t.engine.stats("act")).segments[0]!.arms.find((a) => a.armId === d.arm.id)!;
    // No body, and an empty body with a JSON content type, are both fine.
    const res = await t.app.inject({
      method: "POST",
      url: `/v1/decisions/${d.eventId}/activate`,
      headers: { ...t.auth.decide, "content-type": "application/json" },
    });
    assert.equal(res.statusCode, 204);
    const after = (await t.engine.stats("act")).segments[0]!.arms.find((a) => a.armId === d.arm.id)!;
    assert.ok(after.mean > before.mean, "the stored reward counts once the decision is active");
    assert.equal((await post(`/v1/decisions/${d.eventId}/activate`)).status, 204, "activating twice is harmless");
    assertError(await post("/v1/decisions/nope/activate"), 404, "BANDITRY_EVENT_NOT_FOUND");
  });
});

describe("metrics", () => {
  it("counts requests by route and status, decisions and rewards", async () => {
    const res = await t.app.inject({ method: "GET", url: "/metrics" });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers["content-type"] as string, /^text\/plain/);
    const text = res.body;
    assert.match(
      text,
      /banditry_http_requests_total\{method="POST",route="\/v1\/experiments\/:id\/decisions",status="201"\} \d+/,
    );
    assert.match(
      text,
      /banditry_http_requests_total\{method="POST",route="\/v1\/experiments\/:id\/decisions",status="409"\} 1/,
    );
    assert.match(
      text,
      /banditry_http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/v1\/rewards",status="200"\}/,
    );
    assert.match(text, /banditry_decisions_total\{experiment="rew",group="bandit"\} \d+/);
    assert.match(text, /banditry_rewards_total\{status="duplicate"\} 1/);
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestApp, type TestApp } from "./helpers/test-app.js";

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

async function call(
  method: "GET" | "POST" | "DELETE",
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
) {
  const res = await t.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body === "" ? undefined : res.json() };
}

function assertError(r: { status: number; body: unknown }, status: number, code: string, field?: string) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  const e = (r.body as { error: { code: string; field?: string } }).error;
  assert.equal(e.code, code, JSON.stringify(r.body));
  if (field !== undefined) assert.equal(e.field, field, JSON.stringify(r.body));
}

const actions = [
  { id: "news", features: { topic: "politics" } },
  { id: "sports", features: [{ topic: "football" }] },
  { id: "music" },
];

async function waitLearned(id: string, n: number): Promise<Record<string, unknown>> {
  for (let i = 0; i < 500; i++) {
    const r = await call("GET", `/v1/experiments/${id}/model`, t.auth.read);
    if ((r.body as { learnedRewards: number }).learnedRewards >= n) return r.body as Record<string, unknown>;
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`not learned ${n} rewards`);
}

describe("v1 linear flow", () => {
  it("creates a linear experiment, decides with actions and explanations, learns, exports and resets its model", async () => {
    const created = await call("POST", "/v1/experiments", t.auth.admin, {
      id: "lin-http",
      reward: "bernoulli",
      arms: [],
      context: "linear",
      linear: { dimension: 64 },
      explorationShare: 0.1,
      learningMode: "online",
      metadata: { loop: "home-page" },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const e = created.body as Record<string, unknown>;
    assert.equal(e.context, "linear");
    assert.deepEqual(e.linear, { dimension: 64 });
    assert.equal(e.explorationShare, 0.1);
    assert.deepEqual(e.metadata, { loop: "home-page" });

    const d = await call("POST", "/v1/experiments/lin-http/decisions", t.auth.decide, {
      actions,
      contextFeatures: [{ user: { type: "new" } }, { device: { os: "ios" } }],
      excludedActions: ["music"],
      explain: true,
    });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    const body = d.body as {
      eventId: string;
      arm: { id: string };
      ranking: { armId: string; probability: number }[];
      propensity: number;
      explanation: { armId: string; score: number; features: { name: string; score: number }[] }[];
    };
    assert.notEqual(body.arm.id, "music", "an excluded action is never chosen");
    assert.deepEqual(
      body.ranking.map((r) => r.armId),
      ["news", "sports", "music"],
      "every offered action, in order",
    );
    assert.equal(body.ranking[2]!.probability, 0, "excluded: probability 0");
    assert.equal(body.explanation[0]!.armId, body.arm.id, "the chosen action is explained first");
    assert.equal(body.explanation.length, 3, "every offered action explained");
    assert.ok(Array.isArray(body.explanation[0]!.features), "feature contributions listed");

    const rewarded = await call("POST", `/v1/decisions/${body.eventId}/reward`, t.auth.decide, { value: 1 });
    assert.equal(rewarded.status, 204);
    const model = await waitLearned("lin-http", 1);
    assert.equal((model.model as { kind: string }).kind, "linear-thompson", "the model's JSON");

    const stats = await call("GET", "/v1/experiments/lin-http/stats", t.auth.read);
    assert.equal(stats.status, 200, JSON.stringify(stats.body));
    const linear = (stats.body as { linear?: { learnedRewards: number; topFeatures: unknown[] } }).linear;
    assert.equal(linear?.learnedRewards, 1, "stats report what the model learned");

    assertError(await call("DELETE", "/v1/experiments/lin-http/model", t.auth.decide), 403, "BANDITRY_FORBIDDEN");
    const reset = await call("DELETE", "/v1/experiments/lin-http/model", t.auth.admin);
    assert.equal(reset.status, 204);
    const after_ = await call("GET", "/v1/experiments/lin-http/model", t.auth.read);
    assert.equal((after_.body as { learnedRewards: number }).learnedRewards, 0, "reset forgets");
  });

  it("answers bad linear input with 4xx naming the field", async () => {
    await call("POST", "/v1/experiments", t.auth.admin, {
      id: "lin-bad",
      reward: "bernoulli",
      arms: [],
      context: "linear",
    });
    const url = "/v1/experiments/lin-bad/decisions";
    assertError(await call("POST", url, t.auth.decide, { actions: [] }), 400, "BANDITRY_VALIDATION", "actions");
    assertError(
      await call("POST", url, t.auth.decide, { actions, excludedActions: ["news", "sports", "music"] }),
      409,
      "BANDITRY_NO_ACTIVE_ARMS",
      "excludedActions",
    );
    assertError(
      await call("POST", url, t.auth.decide, { actions, baselineAction: "nope" }),
      400,
      "BANDITRY_VALIDATION",
      "baselineAction",
    );
    assertError(
      await call("POST", "/v1/experiments", t.auth.admin, {
        id: "lin-bad-2",
        reward: "bernoulli",
        arms: [],
        context: "linear",
        linear: { dimension: 1e9 },
      }),
      400,
      "BANDITRY_VALIDATION",
      "linear.dimension",
    );
    const seg = await call("POST", "/v1/experiments", t.auth.admin, {
      id: "seg-1",
      reward: "bernoulli",
      arms: [{ id: "a" }],
    });
    assert.equal(seg.status, 201, JSON.stringify(seg.body));
    assertError(await call("GET", "/v1/experiments/seg-1/model", t.auth.read), 409, "BANDITRY_NOT_LINEAR");
    assertError(
      await call("POST", "/v1/experiments/seg-1/decisions", t.auth.decide, { actions }),
      400,
      "BANDITRY_VALIDATION",
      "actions",
    );
  });
});

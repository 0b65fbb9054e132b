import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createTestApp, experimentBody, type TestApp } from "./helpers/test-app.js";

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

async function call(method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: unknown) {
  const res = await t.app.inject({
    method,
    url,
    headers: t.auth.admin,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body === "" ? undefined : res.json() };
}

function assertError(r: { status: number; body: unknown }, status: number, code: string, field?: string) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  const e = (r.body as { error: { code: string; message: string; field?: string } }).error;
  assert.equal(e.code, code);
  assert.ok(e.message.length > 0);
  if (field !== undefined) assert.equal(e.field, field);
}

describe("POST /v1/experiments", () => {
  it("creates an experiment with defaults and returns it (201)", async () => {
    const r = await call("POST", "/v1/experiments", experimentBody("create-1", { name: "Bids" }));
    assert.equal(r.status, 201);
    const e = r.body as Record<string, unknown>;
    assert.equal(e.id, "create-1");
    assert.equal(e.name, "Bids");
    assert.equal(e.status, "active");
    assert.equal(e.policy, "thompson");
    assert.deepEqual(e.prior, { alpha: 1, beta: 1 });
    assert.equal(e.rewardAggregation, "earliest");
    assert.equal(e.control, null);
    assert.equal(typeof e.createdAt, "number");
    const arms = e.arms as { id: string; label: string | null; value: unknown; state: string }[];
    assert.deepEqual(
      arms.map((a) => [a.id, a.label, a.value, a.state]),
      [
        ["a", null, null, "active"],
        ["b", "B", { multiplier: 1.2 }, "active"],
        ["c", null, null, "active"],
      ],
    );
    assert.equal("decayLandmark" in e, false);
  });

  it("accepts every documented option", async () => {
    const r = await call("POST", "/v1/experiments", {
      id: "create-full",
      name: "Full",
      reward: "gaussian",
      arms: [{ id: "x", label: null, value: 1 }, { id: "y" }],
      policy: "top-two-thompson",
      policyOptions: { topTwoBeta: 0.4 },
      prior: { mu: 0, kappa: 1, alpha: 2, beta: 2 },
      decayHalfLife: 3600,
      segmentKeys: ["country"],
      segmentPseudoCount: 5,
      control: { share: 0.1, arm: "x" },
      rewardWaitSeconds: 60,
      defaultReward: 0,
      rewardAggregation: "sum",
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const e = r.body as Record<string, unknown>;
    assert.deepEqual(e.control, { share: 0.1, arm: "x" });
    assert.deepEqual(e.policyOptions, { topTwoBeta: 0.4 });
    assert.deepEqual(e.segmentKeys, ["country"]);
    assert.equal(e.decayHalfLife, 3600);
    assert.equal(e.rewardWaitSeconds, 60);
    assert.equal(e.rewardAggregation, "sum");
  });

  it("refuses a duplicate id with 409 BANDITRY_EXPERIMENT_EXISTS", async () => {
    await call("POST", "/v1/experiments", experimentBody("dup"));
    assertError(await call("POST", "/v1/experiments", experimentBody("dup")), 409, "BANDITRY_EXPERIMENT_EXISTS", "id");
  });

  it("names the field of a validation error", async () => {
    assertError(
      await call("POST", "/v1/experiments", { reward: "bernoulli", arms: [] }),
      400,
      "BANDITRY_VALIDATION",
      "id",
    );
    assertError(
      await call("POST", "/v1/experiments", { id: "v", reward: "poisson", arms: [] }),
      400,
      "BANDITRY_VALIDATION",
      "reward",
    );
    const wrongType = await call("POST", "/v1/experiments", { id: "v", reward: "bernoulli", arms: [{ id: 5 }] });
    assertError(wrongType, 400, "BANDITRY_VALIDATION", "arms[0].id");
    assert.match((wrongType.body as { error: { message: string } }).error.message, /arms\[0\]\.id.*5/);
    assertError(
      await call("POST", "/v1/experiments", { id: "v", reward: "bernoulli", arms: [], polcy: "ucb1" }),
      400,
      "BANDITRY_VALIDATION",
      "polcy",
    );
    assertError(
      await call("POST", "/v1/experiments", { id: "bad id!", reward: "bernoulli", arms: [] }),
      400,
      "BANDITRY_VALIDATION",
      "id",
    );
    // Ranges are the engine's to check; its errors come through unchanged.
    assertError(
      await call("POST", "/v1/experiments", experimentBody("v", { control: { share: 0.1, arm: "zzz" } })),
      400,
      "BANDITRY_VALIDATION",
      "control.arm",
    );
    assertError(
      await call("POST", "/v1/experiments", experimentBody("v", { arms: [{ id: "a" }, { id: "a" }] })),
      400,
      "BANDITRY_VALIDATION",
      "arms[1].id",
    );
    assertError(await call("POST", "/v1/experiments", [1, 2]), 400, "BANDITRY_VALIDATION", "body");
  });
});

describe("GET /v1/experiments and /v1/experiments/{id}", () => {
  it("lists active experiments, archived ones on request", async () => {
    await call("POST", "/v1/experiments", experimentBody("list-a"));
    await call("POST", "/v1/experiments", experimentBody("list-b"));
    await call("DELETE", "/v1/experiments/list-b");
    const active = await call("GET", "/v1/experiments");
    assert.equal(active.status, 200);
    const ids = (active.body as { experiments: { id: string }[] }).experiments.map((e) => e.id);
    assert.ok(ids.includes("list-a"));
    assert.ok(!ids.includes("list-b"));
    const all = await call("GET", "/v1/experiments?includeArchived=true");
    assert.ok((all.body as { experiments: { id: string }[] }).experiments.some((e) => e.id === "list-b"));
    assertError(
      await call("GET", "/v1/experiments?includeArchived=yes"),
      400,
      "BANDITRY_VALIDATION",
      "includeArchived",
    );
  });

  it("gets one experiment, 404 for an unknown one", async () => {
    await call("POST", "/v1/experiments", experimentBody("get-1"));
    const r = await call("GET", "/v1/experiments/get-1");
    assert.equal(r.status, 200);
    assert.equal((r.body as { id: string }).id, "get-1");
    assertError(await call("GET", "/v1/experiments/nope"), 404, "BANDITRY_EXPERIMENT_NOT_FOUND");
  });
});

describe("PATCH and DELETE /v1/experiments/{id}", () => {
  it("changes the configuration and keeps the rest", async () => {
    await call("POST", "/v1/experiments", experimentBody("patch-1"));
    const r = await call("PATCH", "/v1/experiments/patch-1", { name: "New", policy: "ucb1", decayHalfLife: 60 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const e = r.body as Record<string, unknown>;
    assert.equal(e.name, "New");
    assert.equal(e.policy, "ucb1");
    assert.equal(e.decayHalfLife, 60);
    assert.equal((e.arms as unknown[]).length, 3);
    const back = await call("PATCH", "/v1/experiments/patch-1", { decayHalfLife: null });
    assert.equal((back.body as Record<string, unknown>).decayHalfLife, null);
  });

  it("refuses unknown fields, fields that cannot change, and unknown experiments", async () => {
    await call("POST", "/v1/experiments", experimentBody("patch-2"));
    assertError(
      await call("PATCH", "/v1/experiments/patch-2", { reward: "gaussian" }),
      400,
      "BANDITRY_VALIDATION",
      "reward",
    );
    assertError(
      await call("PATCH", "/v1/experiments/patch-2", { policy: "nope" }),
      400,
      "BANDITRY_VALIDATION",
      "policy",
    );
    assertError(await call("PATCH", "/v1/experiments/nope", { name: "x" }), 404, "BANDITRY_EXPERIMENT_NOT_FOUND");
  });

  it("archives (200 with the archived experiment); decisions are then refused", async () => {
    await call("POST", "/v1/experiments", experimentBody("del-1"));
    const r = await call("DELETE", "/v1/experiments/del-1");
    assert.equal(r.status, 200);
    assert.equal((r.body as { status: string }).status, "archived");
    assertError(await call("DELETE", "/v1/experiments/nope"), 404, "BANDITRY_EXPERIMENT_NOT_FOUND");
    const d = await t.app.inject({
      method: "POST",
      url: "/v1/experiments/del-1/decisions",
      headers: t.auth.decide,
      payload: {},
    });
    assertError({ status: d.statusCode, body: d.json() }, 409, "BANDITRY_EXPERIMENT_ARCHIVED");
  });
});

describe("arms", () => {
  it("adds an arm (201) and refuses a duplicate (409)", async () => {
    await call("POST", "/v1/experiments", experimentBody("arms-1"));
    const r = await call("POST", "/v1/experiments/arms-1/arms", { id: "d", label: "D", value: [1, 2] });
    assert.equal(r.status, 201);
    const arm = (r.body as { arms: { id: string; value: unknown }[] }).arms.find((a) => a.id === "d");
    assert.deepEqual(arm?.value, [1, 2]);
    assertError(await call("POST", "/v1/experiments/arms-1/arms", { id: "d" }), 409, "BANDITRY_ARM_EXISTS");
    assertError(await call("POST", "/v1/experiments/arms-1/arms", { label: "x" }), 400, "BANDITRY_VALIDATION", "id");
    assertError(await call("POST", "/v1/experiments/nope/arms", { id: "d" }), 404, "BANDITRY_EXPERIMENT_NOT_FOUND");
  });

  it("pauses and retires arms; unknown arm → 404; bad state → 400", async () => {
    await call("POST", "/v1/experiments", experimentBody("arms-2"));
    const r = await call("PATCH", "/v1/experiments/arms-2/arms/b", { state: "paused" });
    assert.equal(r.status, 200);
    assert.equal((r.body as { arms: { id: string; state: string }[] }).arms.find((a) => a.id === "b")?.state, "paused");
    assertError(
      await call("PATCH", "/v1/experiments/arms-2/arms/zz", { state: "paused" }),
      404,
      "BANDITRY_ARM_NOT_FOUND",
    );
    assertError(
      await call("PATCH", "/v1/experiments/arms-2/arms/b", { state: "sleeping" }),
      400,
      "BANDITRY_VALIDATION",
      "state",
    );
    // Paused arms are never chosen.
    await call("PATCH", "/v1/experiments/arms-2/arms/a", { state: "retired" });
    for (let i = 0; i < 10; i++) {
      const d = await t.app.inject({
        method: "POST",
        url: "/v1/experiments/arms-2/decisions",
        headers: t.auth.decide,
        payload: {},
      });
      assert.equal(d.json().arm.id, "c");
    }
  });
});

describe("GET /v1/experiments/{id}/stats", () => {
  it("summarizes arms per segment after decisions and rewards", async () => {
    await call("POST", "/v1/experiments", experimentBody("stats-1"));
    for (let i = 0; i < 6; i++) {
      const d = await t.app.inject({
        method: "POST",
        url: "/v1/experiments/stats-1/decisions",
        headers: t.auth.decide,
        payload: {},
      });
      await t.app.inject({
        method: "POST",
        url: `/v1/decisions/${d.json().eventId}/reward`,
        headers: t.auth.decide,
        payload: { value: 1 },
      });
    }
    const r = await t.app.inject({ method: "GET", url: "/v1/experiments/stats-1/stats", headers: t.auth.read });
    assert.equal(r.statusCode, 200);
    const s = r.json();
    assert.equal(s.experimentId, "stats-1");
    assert.equal(s.segments[0].segment, "*");
    const arms = s.segments[0].arms as { armId: string; pulls: number; rewards: number; probabilityBest: number }[];
    assert.deepEqual(arms.map((a) => a.armId).sort(), ["a", "b", "c"]);
    assert.equal(
      arms.reduce((n, a) => n + a.pulls, 0),
      6,
    );
    assert.equal(
      arms.reduce((n, a) => n + a.rewards, 0),
      6,
    );
    assert.ok(Math.abs(arms.reduce((p, a) => p + a.probabilityBest, 0) - 1) < 1e-6);
    const bandit = (s.groups as { group: string; decisions: number }[]).find((g) => g.group === "bandit");
    assert.equal(bandit?.decisions, 6);
    assertError(await call("GET", "/v1/experiments/nope/stats"), 404, "BANDITRY_EXPERIMENT_NOT_FOUND");
  });
});

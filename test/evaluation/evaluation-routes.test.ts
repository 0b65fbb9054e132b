import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FastifyInstance } from "fastify";
import { createKeyService } from "../../src/auth/key-service.js";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { createEvaluationService } from "../../src/evaluation/create-evaluation-service.js";
import type { EvaluationRecord, EvaluationService } from "../../src/evaluation/evaluation-types.js";
import { buildApp } from "../../src/http/build-app.js";
import { createMetrics } from "../../src/http/metrics.js";
import type { Stores } from "../../src/stores/stores.js";
import { sqliteStores } from "../helpers/sqlite.js";
import { TRUE_MEANS, uniformLog } from "./synthetic-log.js";

const harness = sqliteStores();
let stores: Stores;
let engine: Engine;
let evaluations: EvaluationService;
let app: FastifyInstance;
const auth: Record<"admin" | "read" | "decide" | "bound", Record<string, string>> = {
  admin: {},
  read: {},
  decide: {},
  bound: {},
};

before(async () => {
  stores = await harness.create();
  await uniformLog(stores, "ab", 1500);
  await uniformLog(stores, "other", 100);
  engine = createEngine({ stores, options: { refreshIntervalMs: 0, defaultRewardIntervalMs: 0 } });
  await engine.start();
  evaluations = createEvaluationService({ stores });
  const keys = createKeyService(stores.keyStore);
  for (const scope of ["admin", "read", "decide"] as const) {
    auth[scope] = { authorization: `Bearer ${(await keys.create({ name: scope, scopes: [scope] })).secret}` };
  }
  const bound = await keys.create({ name: "bound", scopes: ["admin"], experimentId: "other" });
  auth.bound = { authorization: `Bearer ${bound.secret}` };
  app = await buildApp({ service: engine, keys, metrics: createMetrics(), evaluations });
  await app.ready();
});

after(async () => {
  await app.close();
  await evaluations.close();
  await engine.close();
  await harness.cleanup();
});

async function waitFor(id: string): Promise<EvaluationRecord> {
  for (let i = 0; i < 400; i++) {
    const res = await app.inject({ method: "GET", url: `/v1/evaluations/${id}`, headers: auth.read });
    assert.equal(res.statusCode, 200, res.body);
    const record = res.json() as EvaluationRecord;
    if (record.status === "succeeded" || record.status === "failed") return record;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`evaluation ${id} did not finish`);
}

function errorOf(res: { statusCode: number; json(): unknown }): { code: string; field?: string } {
  return (res.json() as { error: { code: string; field?: string } }).error;
}

describe("v1 evaluations routes", () => {
  it("POST ?wait=true answers 201 with the finished evaluation", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/experiments/ab/evaluations?wait=true",
      headers: auth.admin,
      payload: { name: "fixed arms", policies: [{ name: "fixed:b" }, { name: "uniform" }] },
    });
    assert.equal(res.statusCode, 201, res.body);
    const record = res.json() as EvaluationRecord;
    assert.equal(record.status, "succeeded", res.body);
    assert.equal(record.name, "fixed arms");
    assert.equal(record.decisions?.total, 1500);
    const b = record.results![0]!;
    assert.ok(b.ips.lower <= TRUE_MEANS.b! && TRUE_MEANS.b! <= b.ips.upper, `fixed:b IPS ${JSON.stringify(b.ips)}`);
    assert.equal(typeof b.snipsEstimatorDenominator, "number");
    assert.deepEqual(b.ignoredArguments, []);
    assert.ok(record.loggedAverage !== null && record.loggedAverage !== undefined, "on-policy interval");
  });

  it("POST answers 201 with the pending record; GET shows it finish; list and delete", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/experiments/ab/evaluations",
      headers: auth.admin,
      payload: { policies: [{ name: "thompson", arguments: "--draws 100 --unknown-flag 3" }], seed: 42 },
    });
    assert.equal(res.statusCode, 201, res.body);
    const pending = res.json() as EvaluationRecord;
    assert.equal(pending.status, "pending");
    assert.equal(pending.results, null);
    assert.equal(pending.seed, 42);
    const done = await waitFor(pending.id);
    assert.equal(done.status, "succeeded", JSON.stringify(done.error));
    assert.deepEqual(done.results![0]!.ignoredArguments, ["--unknown-flag 3"]);

    const list = await app.inject({ method: "GET", url: "/v1/experiments/ab/evaluations", headers: auth.read });
    assert.equal(list.statusCode, 200, list.body);
    const ids = (list.json() as { evaluations: EvaluationRecord[] }).evaluations.map((e) => e.id);
    assert.equal(ids[0], pending.id, "newest first");
    assert.equal(ids.length, 2);

    const del = await app.inject({ method: "DELETE", url: `/v1/evaluations/${pending.id}`, headers: auth.admin });
    assert.equal(del.statusCode, 204, del.body);
    const gone = await app.inject({ method: "GET", url: `/v1/evaluations/${pending.id}`, headers: auth.read });
    assert.equal(gone.statusCode, 404);
    assert.deepEqual(errorOf(gone), {
      code: "BANDITRY_EVALUATION_NOT_FOUND",
      message: `no evaluation "${pending.id}"`,
      field: "evaluationId",
    });
  });

  it("a run whose data cannot be evaluated is a failed record, not an error", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/experiments/ab/evaluations?wait=true",
      headers: auth.admin,
      payload: { from: "2030-01-01T00:00:00Z", to: "2030-02-01T00:00:00Z", policies: [{ name: "uniform" }] },
    });
    assert.equal(res.statusCode, 201, res.body);
    const record = res.json() as EvaluationRecord;
    assert.equal(record.status, "failed");
    assert.equal(record.error?.code, "BANDITRY_VALIDATION");
  });

  it("refuses bad input with 4xx naming the field, never a 500", async () => {
    const post = (payload: unknown, headers = auth.admin, url = "/v1/experiments/ab/evaluations") =>
      app.inject({ method: "POST", url, headers, payload: payload as Record<string, unknown> });
    const cases: [Awaited<ReturnType<typeof post>>, number, string, string | undefined][] = [
      [await post({}), 400, "BANDITRY_VALIDATION", "policies"],
      [await post({ policies: [] }), 400, "BANDITRY_VALIDATION", "policies"],
      [await post({ policies: [{ name: "greedy" }] }), 400, "BANDITRY_UNKNOWN_POLICY", "policies[0].name"],
      [await post({ policies: [{ name: "fixed:nope" }] }), 400, "BANDITRY_VALIDATION", "policies[0].name"],
      [await post({ policies: [{ name: "ucb1", arguments: 5 }] }), 400, "BANDITRY_VALIDATION", "policies[0].arguments"],
      [await post({ policies: [{ name: "ucb1" }], from: "soon" }), 400, "BANDITRY_VALIDATION", "from"],
      [await post({ policies: [{ name: "ucb1" }], from: 9, to: 3 }), 400, "BANDITRY_VALIDATION", "to"],
      [await post({ policies: [{ name: "ucb1" }], bogus: 1 }), 400, "BANDITRY_VALIDATION", "bogus"],
      [
        await post({ policies: [{ name: "uniform" }] }, auth.admin, "/v1/experiments/nope/evaluations"),
        404,
        "BANDITRY_EXPERIMENT_NOT_FOUND",
        "experimentId",
      ],
      [await post({ policies: [{ name: "uniform" }] }, auth.read), 403, "BANDITRY_FORBIDDEN", undefined],
      [await post({ policies: [{ name: "uniform" }] }, auth.bound), 403, "BANDITRY_FORBIDDEN", "id"],
      [await post({ policies: [{ name: "uniform" }] }, {}), 401, "BANDITRY_UNAUTHORIZED", "authorization"],
      [
        await app.inject({ method: "GET", url: "/v1/experiments/nope/evaluations", headers: auth.read }),
        404,
        "BANDITRY_EXPERIMENT_NOT_FOUND",
        undefined,
      ],
      [
        await app.inject({ method: "GET", url: "/v1/evaluations/unknown", headers: auth.read }),
        404,
        "BANDITRY_EVALUATION_NOT_FOUND",
        "evaluationId",
      ],
      [
        await app.inject({ method: "DELETE", url: "/v1/evaluations/unknown", headers: auth.admin }),
        404,
        "BANDITRY_EVALUATION_NOT_FOUND",
        "evaluationId",
      ],
      [
        await app.inject({ method: "DELETE", url: "/v1/evaluations/unknown", headers: auth.read }),
        403,
        "BANDITRY_FORBIDDEN",
        undefined,
      ],
    ];
    for (const [res, status, code, field] of cases) {
      assert.equal(res.statusCode, status, `${res.body}`);
      const error = errorOf(res);
      assert.equal(error.code, code, res.body);
      if (field !== undefined) assert.equal(error.field, field, res.body);
    }
  });

  it("a key bound to another experiment cannot see this experiment's evaluations", async () => {
    const [first] = await evaluations.list("ab");
    assert.ok(first !== undefined, "an evaluation of ab exists");
    const res = await app.inject({ method: "GET", url: `/v1/evaluations/${first.id}`, headers: auth.bound });
    assert.equal(res.statusCode, 404, res.body);
    const own = await app.inject({
      method: "POST",
      url: "/v1/experiments/other/evaluations?wait=true",
      headers: auth.bound,
      payload: { policies: [{ name: "uniform" }] },
    });
    assert.equal(own.statusCode, 201, own.body);
    const mine = own.json() as EvaluationRecord;
    const seen = await app.inject({ method: "GET", url: `/v1/evaluations/${mine.id}`, headers: auth.bound });
    assert.equal(seen.statusCode, 200, seen.body);
  });
});

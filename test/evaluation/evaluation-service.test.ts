import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createEvaluationService } from "../../src/evaluation/create-evaluation-service.js";
import type { EvaluationRecord, PolicyEvaluation } from "../../src/evaluation/evaluation-types.js";
import type { Stores } from "../../src/stores/stores.js";
import { sqliteStores } from "../helpers/sqlite.js";
import { linearLog, T0, TRUE_MEANS, uniformLog } from "./synthetic-log.js";

const harness = sqliteStores();
let stores: Stores;
let end: number;
const N = 3000;

before(async () => {
  stores = await harness.create();
  end = await uniformLog(stores, "ab", N);
  await linearLog(stores, "lin", 900);
});
after(() => harness.cleanup());

function byName(record: EvaluationRecord, name: string): PolicyEvaluation {
  const r = record.results?.find((p) => p.policy.name === name);
  assert.ok(r !== undefined, `result for ${name} in ${JSON.stringify(record.results?.map((p) => p.policy.name))}`);
  return r;
}

describe("evaluation service on a uniform-random log made by the engine", () => {
  let record: EvaluationRecord;
  before(async () => {
    const service = createEvaluationService({ stores });
    record = await service.run({
      experimentId: "ab",
      name: "all",
      policies: [
        { name: "fixed:a" },
        { name: "fixed:b" },
        { name: "fixed:c" },
        { name: "uniform" },
        { name: "thompson", arguments: "--draws 200" },
        { name: "epsilon-greedy", arguments: { epsilon: 0.2 } },
        { name: "ucb1" },
        { name: "current" },
      ],
    });
    await service.close();
  });

  it("succeeds over every decision, with the logged policy's value beside", () => {
    assert.equal(record.status, "succeeded", JSON.stringify(record.error));
    assert.deepEqual(record.decisions, { total: N, withoutPropensity: 0, withoutFeatures: 0 });
    assert.ok(record.loggedAverageReward !== null, "on-policy value present");
    const expected = (TRUE_MEANS.a! + TRUE_MEANS.b! + TRUE_MEANS.c!) / 3;
    assert.ok(Math.abs(record.loggedAverageReward - expected) < 0.04, `logged average ${record.loggedAverageReward}`);
    assert.ok(record.finishedAt !== null && record.finishedAt >= record.createdAt, "finishedAt set");
  });

  it("a fixed arm's estimate covers that arm's true mean, for every estimator", () => {
    for (const arm of ["a", "b", "c"]) {
      const r = byName(record, `fixed:${arm}`);
      for (const key of ["ips", "snips", "doublyRobust"] as const) {
        const e = r[key];
        assert.ok(
          e.lower <= TRUE_MEANS[arm]! && TRUE_MEANS[arm]! <= e.upper,
          `${key} of fixed:${arm}: [${e.lower}, ${e.upper}] should hold ${TRUE_MEANS[arm]}`,
        );
        assert.ok(e.upper - e.lower < 0.15, `${key} of fixed:${arm} is informative: ${e.lower}..${e.upper}`);
      }
      assert.equal(r.monteCarloDraws, 0, "a fixed arm is exact");
      // a third of the decisions carry weight 3: the ESS is about n/3
      assert.ok(Math.abs(r.effectiveSampleSize - N / 3) < N * 0.05, `ESS ${r.effectiveSampleSize}`);
    }
  });

  it("the uniform candidate on uniform logs is the on-policy value exactly (all weights 1)", () => {
    const u = byName(record, "uniform");
    assert.ok(Math.abs(u.ips.value - record.loggedAverageReward!) < 1e-12, `${u.ips.value}`);
    assert.ok(Math.abs(u.snips.value - u.ips.value) < 1e-12, "SNIPS = IPS");
    assert.ok(Math.abs(u.effectiveSampleSize - N) < 1e-6, "ESS = n");
  });

  it("thompson, epsilon-greedy and ucb1 learn online and beat uniform; Thompson is Monte Carlo", () => {
    const u = byName(record, "uniform").snips.value;
    for (const name of ["thompson", "epsilon-greedy", "ucb1"]) {
      const r = byName(record, name);
      assert.ok(r.snips.value > u + 0.1, `${name} ${r.snips.value} vs uniform ${u}`);
      assert.ok(r.doublyRobust.value > u + 0.1, `${name} DR ${r.doublyRobust.value} vs uniform ${u}`);
      assert.ok(r.ips.lower > u, `${name}'s IPS interval ${r.ips.lower}..${r.ips.upper} lies above uniform's ${u}`);
    }
    assert.equal(byName(record, "thompson").monteCarloDraws, 200);
    assert.equal(byName(record, "ucb1").monteCarloDraws, 0);
    // the experiment's own policy is uniform
    assert.ok(Math.abs(byName(record, "current").ips.value - u) < 1e-12, "current = the logged uniform policy");
  });

  it("IPS and SNIPS agree with Personalizer's summary fields", () => {
    for (const r of record.results!) {
      assert.equal(r.events, N);
      assert.equal(r.ipsEstimatorDenominator, N);
      assert.ok(Math.abs(r.ips.value - r.ipsEstimatorNumerator / N) < 1e-9, `${r.policy.name} IPS`);
      assert.ok(
        Math.abs(r.snips.value - r.ipsEstimatorNumerator / r.snipsEstimatorDenominator) < 1e-9,
        `${r.policy.name} SNIPS`,
      );
      for (const e of [r.ips, r.snips, r.doublyRobust]) {
        assert.ok(e.lower <= e.value && e.value <= e.upper, `${r.policy.name}: interval around the value`);
      }
    }
  });

  it("is repeatable: the same seed gives the same figures", async () => {
    const service = createEvaluationService({ stores });
    const again = await service.run({ experimentId: "ab", policies: [{ name: "thompson", arguments: "--draws 200" }] });
    assert.deepEqual(again.results![0]!.ips, byName(record, "thompson").ips);
    await service.close();
  });
});

describe("evaluation service: ranges, linear candidates, errors", () => {
  it("counts only the decisions in [from, to)", async () => {
    const service = createEvaluationService({ stores });
    // rounds of 50 decisions one second apart: [T0 + 10 s, T0 + 20 s) holds rounds 10..19
    const r = await service.run({
      experimentId: "ab",
      from: new Date(T0 + 10_000).toISOString(),
      to: T0 + 20_000,
      policies: [{ name: "fixed:b" }],
    });
    assert.equal(r.status, "succeeded", JSON.stringify(r.error));
    assert.equal(r.decisions?.total, 500);
    assert.equal(r.results![0]!.events, 500);
    const empty = await service.run({ experimentId: "ab", from: end + 1, policies: [{ name: "uniform" }] });
    assert.equal(empty.status, "failed");
    assert.equal(empty.error?.code, "BANDITRY_VALIDATION");
    assert.match(empty.error!.message, /only 0 of the 0 logged decisions/);
    await service.close();
  });

  it("replays a linear Thompson candidate on the logged features (VW arguments)", async () => {
    const service = createEvaluationService({ stores });
    const r = await service.run({
      experimentId: "lin",
      policies: [
        { name: "learner", arguments: "--cb_explore_adf --epsilon 0.1 -b 6 -q :: --draws 100 --power_t 0.5 --dsjson" },
        { name: "no interactions", arguments: { interactions: false, draws: 100 } },
        { name: "current" },
      ],
    });
    assert.equal(r.status, "succeeded", JSON.stringify(r.error));
    assert.equal(r.decisions?.total, 900);
    const learner = byName(r, "learner");
    assert.deepEqual(learner.ignoredArguments, ["--cb_explore_adf", "--power_t 0.5", "--dsjson"]);
    assert.equal(learner.monteCarloDraws, 100);
    // the logging policy is uniform (≈ 0.38); a learner approaches 0.8 for most decisions
    assert.ok(r.loggedAverageReward! < 0.45, `logged ${r.loggedAverageReward}`);
    assert.ok(learner.snips.value > 0.6, `linear TS SNIPS ${learner.snips.value}`);
    assert.ok(learner.doublyRobust.lower > r.loggedAverage!.upper, "DR interval above the logged policy's");
    // without interactions a linear model cannot tell the user types' best actions apart
    assert.ok(byName(r, "no interactions").snips.value < learner.snips.value - 0.15, "interactions matter");
    const top = learner.featureImportance ?? [];
    assert.ok(top.length > 0 && top.length <= 10, `featureImportance: ${JSON.stringify(top)}`);
    assert.ok(
      top.some((f) => f.name.includes("*")),
      `an interaction among the top features: ${JSON.stringify(top)}`,
    );
    await service.close();
  });

  it("refuses bad requests naming the field, before storing anything", async () => {
    const service = createEvaluationService({ stores });
    const before = (await service.list()).length;
    const cases: [unknown, string, string][] = [
      [{ experimentId: "ab", policies: [] }, "BANDITRY_VALIDATION", "policies"],
      [{ experimentId: "ab", policies: [{ name: "greedy" }] }, "BANDITRY_UNKNOWN_POLICY", "policies[0].name"],
      [{ experimentId: "ab", policies: [{ name: "fixed:zz" }] }, "BANDITRY_VALIDATION", "policies[0].name"],
      [
        { experimentId: "ab", policies: [{ name: "epsilon-greedy", arguments: { epsilon: 2 } }] },
        "BANDITRY_VALIDATION",
        "policies[0].arguments.epsilon",
      ],
      [
        { experimentId: "lin", policies: [{ name: "p", arguments: "-b 40" }] },
        "BANDITRY_VALIDATION",
        "policies[0].arguments",
      ],
      [
        { experimentId: "lin", policies: [{ name: "p", arguments: { lambda: -1 } }] },
        "BANDITRY_VALIDATION",
        "policies[0].arguments.lambda",
      ],
      [{ experimentId: "nope", policies: [{ name: "uniform" }] }, "BANDITRY_EXPERIMENT_NOT_FOUND", "experimentId"],
      [{ experimentId: "ab", from: 10, to: 5, policies: [{ name: "uniform" }] }, "BANDITRY_VALIDATION", "to"],
      [{ experimentId: "ab", from: "yesterday", policies: [{ name: "uniform" }] }, "BANDITRY_VALIDATION", "from"],
      [{ experimentId: "ab", policies: [{ name: "uniform", extra: 1 }] }, "BANDITRY_VALIDATION", "policies[0].extra"],
    ];
    for (const [request, code, field] of cases) {
      await assert.rejects(service.create(request), (e: unknown) => {
        const err = e as { code?: string; field?: string };
        assert.equal(err.code, code, `${JSON.stringify(request)}: ${String(e)}`);
        assert.equal(err.field, field, `${JSON.stringify(request)}: ${String(e)}`);
        return true;
      });
    }
    assert.equal((await service.list()).length, before, "nothing stored");
    await assert.rejects(service.get("missing"), { code: "BANDITRY_EVALUATION_NOT_FOUND" });
    await assert.rejects(service.delete("missing"), { code: "BANDITRY_EVALUATION_NOT_FOUND" });
    await service.close();
  });
});

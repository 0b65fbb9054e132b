import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AzureKeyCredential } from "@azure/core-auth";
import personalizerRest, {
  type EvaluationOutput,
  isUnexpected,
  type PersonalizerClient,
} from "@azure-rest/ai-personalizer";
import { type LoopServer, startLoopServer } from "./helpers/loop-server.js";

/*
 * The official v1.1-preview.3 client (@azure-rest/ai-personalizer), unchanged: only the
 * endpoint (a started banditry server) and the key differ from Azure.
 */

const actions = [
  { id: "NewsArticle", features: [{ type: "News" }] },
  { id: "SportsArticle", features: [{ type: "Sports" }] },
  { id: "EntertainmentArticle", features: [{ type: "Entertainment" }] },
  { id: "WeatherArticle", features: [{ type: "Weather" }] },
];
const slots = [
  { id: "Main", features: [{ size: "Large", position: "Top" }], baselineAction: "NewsArticle" },
  { id: "Side", features: [{ size: "Small" }], excludedActions: ["WeatherArticle"], baselineAction: "SportsArticle" },
];

/** The package is CommonJS with `exports.default`: under Node's ESM interop the default import is the exports object. */
const createClient = personalizerRest.default;

function errorCode(res: { body: unknown }): string | undefined {
  return (res.body as { error?: { code?: string } }).error?.code;
}

describe("Personalizer v1.1-preview.3 REST client against banditry", () => {
  let server: LoopServer;
  let client: PersonalizerClient;
  let key: string;
  before(async () => {
    server = await startLoopServer();
    key = (await server.createLoop("web")).key;
    client = createClient(server.url, new AzureKeyCredential(key), { allowInsecureConnection: true });
  });
  after(() => server.close());

  it("rank, reward and activate", async () => {
    const rank = await client.path("/rank").post({
      body: { contextFeatures: [{ user: { type: "new" } }], actions, deferActivation: true, eventId: "r-1" },
    });
    if (isUnexpected(rank)) assert.fail(`rank failed: ${JSON.stringify(rank.body)}`);
    assert.equal(rank.status, "201");
    assert.equal(rank.body.ranking.length, actions.length);
    const activate = await client.path("/events/{eventId}/activate", "r-1").post();
    assert.equal(activate.status, "204");
    const reward = await client.path("/events/{eventId}/reward", "r-1").post({ body: { value: -0.5 } });
    assert.equal(reward.status, "204");
  });

  it("multislot rank gives each slot a distinct action; rewards and activation reach every slot", async () => {
    const res = await client.path("/multislot/rank").post({
      body: { contextFeatures: [{ user: { type: "new" } }], actions, slots, eventId: "ms-1", deferActivation: true },
    });
    if (isUnexpected(res)) assert.fail(`multislot rank failed: ${JSON.stringify(res.body)}`);
    assert.equal(res.status, "201");
    assert.equal(res.body.eventId, "ms-1");
    assert.deepEqual(
      res.body.slots.map((s) => s.id),
      ["Main", "Side"],
    );
    const [main, side] = res.body.slots;
    assert.notEqual(main!.rewardActionId, side!.rewardActionId);
    assert.notEqual(side!.rewardActionId, "WeatherArticle", "the slot's excluded action is never chosen");
    const activate = await client.path("/multislot/events/{eventId}/activate", "ms-1").post();
    assert.equal(activate.status, "204");
    const reward = await client.path("/multislot/events/{eventId}/reward", "ms-1").post({
      body: {
        reward: [
          { slotId: "Main", value: 1 },
          { slotId: "Side", value: 0 },
        ],
      },
    });
    assert.equal(reward.status, "204");
    const unknownSlot = await client
      .path("/multislot/events/{eventId}/reward", "ms-1")
      .post({ body: { reward: [{ slotId: "Footer", value: 1 }] } });
    assert.equal(unknownSlot.status, "404");
    assert.equal(errorCode(unknownSlot), "InvalidRewardRequest");
    const unknownEvent = await client.path("/multislot/events/{eventId}/activate", "ms-never").post();
    assert.equal(unknownEvent.status, "404");
    assert.equal(errorCode(unknownEvent), "InvalidEventIdToActivate");
  });

  it("multislot rank refuses a missing or repeated baselineAction", async () => {
    const missing = await client.path("/multislot/rank").post({
      body: { actions, slots: [{ id: "Main" } as unknown as (typeof slots)[0]] },
    });
    assert.equal(missing.status, "400");
    assert.equal(errorCode(missing), "InvalidRankRequest");
    const repeated = await client.path("/multislot/rank").post({
      body: {
        actions,
        slots: [
          { id: "A", baselineAction: "NewsArticle" },
          { id: "B", baselineAction: "NewsArticle" },
        ],
      },
    });
    assert.equal(repeated.status, "400");
    assert.match(JSON.stringify(repeated.body), /baselineAction/);
  });

  it("service configuration: get, put round trip (ISO durations), and refusals", async () => {
    const got = await client.path("/configurations/service").get();
    assert.equal(got.status, "200");
    assert.equal(got.body.rewardWaitTime, "PT10M");
    assert.equal(got.body.learningMode, "Online");
    assert.equal(got.body.explorationPercentage, 0.2);
    const put = await client.path("/configurations/service").put({
      body: {
        ...got.body,
        rewardWaitTime: "P1DT2H",
        defaultReward: 0.1,
        rewardAggregation: "sum",
        explorationPercentage: 0.3,
        modelExportFrequency: "00:01:00",
        logRetentionDays: 30,
        learningMode: "Apprentice",
      },
    });
    if (isUnexpected(put)) assert.fail(`put failed: ${JSON.stringify(put.body)}`);
    const again = await client.path("/configurations/service").get();
    assert.equal(again.body.rewardWaitTime, "P1DT2H");
    assert.equal(again.body.modelExportFrequency, "PT1M");
    assert.equal(again.body.defaultReward, 0.1);
    assert.equal(again.body.rewardAggregation, "sum");
    assert.equal(again.body.explorationPercentage, 0.3);
    assert.equal(again.body.logRetentionDays, 30);
    assert.equal(again.body.learningMode, "Apprentice");
    // v1.0 wrote durations as hh:mm:ss
    const v1 = await fetch(`${server.url}/personalizer/v1.0/configurations/service`, {
      headers: { "Ocp-Apim-Subscription-Key": key },
    });
    assert.equal(((await v1.json()) as { rewardWaitTime: string }).rewardWaitTime, "1.02:00:00");
    const bad = await client.path("/configurations/service").put({ body: { ...got.body, rewardWaitTime: "soon" } });
    assert.equal(bad.status, "400");
    assert.equal(errorCode(bad), "InvalidServiceConfiguration");
    // back to Online for the other tests
    await client.path("/configurations/service").put({ body: got.body });
  });

  it("policy: get, put, delete resets to the default", async () => {
    const initial = await client.path("/configurations/policy").get();
    assert.equal(initial.status, "200");
    assert.match(initial.body.arguments, /-q ::/);
    const put = await client
      .path("/configurations/policy")
      .put({ body: { name: "custom", arguments: "--cb_explore_adf -q :: --l2 2 --epsilon 0.1" } });
    if (isUnexpected(put)) assert.fail(`policy put failed: ${JSON.stringify(put.body)}`);
    assert.deepEqual(put.body, { name: "custom", arguments: "--cb_explore_adf -q :: --l2 2 --epsilon 0.1" });
    assert.equal((await client.path("/configurations/policy").get()).body.name, "custom");
    const bad = await client.path("/configurations/policy").put({ body: { name: "x", arguments: "--l2 nope" } });
    assert.equal(bad.status, "400");
    assert.equal(errorCode(bad), "InvalidPolicyConfiguration");
    const reset = await client.path("/configurations/policy").delete();
    assert.equal(reset.status, "200");
    assert.deepEqual(reset.body, initial.body);
  });

  it("evaluations: create (201 + Location), get, list, delete; applyFromEvaluation", async () => {
    for (let i = 0; i < 20; i++) {
      const r = await client.path("/rank").post({ body: { actions, contextFeatures: [{ user: { n: i % 3 } }] } });
      if (isUnexpected(r)) assert.fail("rank failed");
      await client.path("/events/{eventId}/reward", r.body.eventId).post({ body: { value: i % 2 } });
    }
    const created = await client.path("/evaluations").post({
      body: {
        name: "try-l2",
        startTime: new Date(Date.now() - 3_600_000),
        endTime: new Date(Date.now() + 60_000),
        policies: [{ name: "l2", arguments: "--cb_explore_adf -q :: --l2 4" }],
      },
    });
    if (isUnexpected(created)) assert.fail(`evaluation create failed: ${JSON.stringify(created.body)}`);
    assert.equal(created.status, "201");
    const id = created.body.id;
    assert.equal(created.headers.location, `/personalizer/v1.1-preview.3/evaluations/${id}`);
    // isUnexpected cannot judge templated paths in this client version (it compares the full
    // path, base included, with the templates), so the status is checked directly
    let got = await client.path("/evaluations/{evaluationId}", id).get();
    for (let i = 0; i < 100 && got.status === "200" && (got.body as { status: string }).status === "pending"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      got = await client.path("/evaluations/{evaluationId}", id).get();
    }
    if (got.status !== "200") assert.fail(`evaluation get failed: ${JSON.stringify(got.body)}`);
    const evaluation = got.body as EvaluationOutput;
    assert.equal(evaluation.status, "completed", JSON.stringify(evaluation));
    const l2 = evaluation.policyResults!.find((p) => p.name === "l2")!;
    assert.equal(l2.policySource, "Custom");
    assert.ok(Number.isFinite(l2.totalSummary.averageReward), "an average reward estimate");
    const list = await client.path("/evaluations").get();
    assert.ok(
      list.body.some((e) => e.id === id),
      "listed",
    );
    const apply = await client
      .path("/configurations/applyFromEvaluation")
      .post({ body: { evaluationId: id, policyName: "l2" } });
    assert.equal(apply.status, "204");
    assert.equal((await client.path("/configurations/policy").get()).body.name, "l2");
    assert.equal((await client.path("/evaluations/{evaluationId}", id).delete()).status, "204");
    const gone = await client.path("/evaluations/{evaluationId}", id).get();
    assert.equal(gone.status, "404");
    assert.equal(errorCode(gone), "EvaluationNotFound");
  });

  it("logs properties and delete, model and its properties, metrics/learning", async () => {
    const r = await client.path("/rank").post({ body: { actions } });
    if (isUnexpected(r)) assert.fail("rank failed");
    await client.path("/events/{eventId}/reward", r.body.eventId).post({ body: { value: 1 } });
    const props = await client.path("/logs/properties").get();
    if (isUnexpected(props)) assert.fail(`logs properties failed: ${JSON.stringify(props.body)}`);
    assert.ok(Date.parse(props.body.dateRange.from) <= Date.parse(props.body.dateRange.to), "a date range");
    const metrics = await client.pathUnchecked("/metrics/learning").get({
      queryParameters: { startDate: new Date(Date.now() - 3_600_000).toISOString(), aggregationInterval: "PT1M" },
    });
    assert.equal(metrics.status, "200");
    const m = metrics.body as {
      rewardCount: number;
      averageReward: number;
      values: unknown[];
      aggregationInterval: string;
    };
    assert.ok(m.rewardCount >= 1 && m.values.length >= 1, JSON.stringify(m));
    assert.equal(m.aggregationInterval, "PT1M");
    const model = await client.path("/model").get().asNodeStream();
    assert.equal(model.status, "200");
    assert.equal(model.headers["content-type"], "application/octet-stream");
    const modelProps = await client.path("/model/properties").get();
    assert.ok(Date.parse(modelProps.body.creationTime) > 0, "a creation time");
    assert.equal((await client.path("/model").delete()).status, "204");
    assert.equal((await client.path("/logs").delete()).status, "204");
    const empty = await client.path("/logs/properties").get();
    assert.equal(empty.status, "404");
    assert.equal(errorCode(empty), "LogsPropertiesNotFound");
    // the model stays after the logs are gone
    assert.equal((await client.path("/model/properties").get()).status, "200");
  });
});

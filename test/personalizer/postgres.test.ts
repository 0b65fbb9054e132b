import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PersonalizerClient } from "@azure/cognitiveservices-personalizer";
import { AzureKeyCredential } from "@azure/core-auth";
import { ApiKeyCredentials } from "@azure/ms-rest-js";
import personalizerRest from "@azure-rest/ai-personalizer";
import { postgresUnavailable } from "../helpers/postgres.js";
import { type LoopServer, startLoopServer } from "./helpers/loop-server.js";

/** The same clients against a server on PostgreSQL (fails, not skips, under CI=true when unreachable). */
const unavailable = await postgresUnavailable();
const actions = [
  { id: "a", features: [{ kind: "x" }] },
  { id: "b", features: [{ kind: "y" }] },
  { id: "c", features: [{ kind: "z" }] },
];

describe("Personalizer clients against banditry on PostgreSQL", { skip: unavailable ?? false }, () => {
  let server: LoopServer;
  let key: string;
  before(async () => {
    server = await startLoopServer({ postgres: true });
    key = (await server.createLoop("pg-loop")).key;
  });
  after(() => server?.close());

  it("rank, reward, activate through the v1.0 client", async () => {
    const client = new PersonalizerClient(
      new ApiKeyCredentials({ inHeader: { "Ocp-Apim-Subscription-Key": key } }),
      server.url,
    );
    const r = await client.rank({ actions, excludedActions: ["c"], deferActivation: true, eventId: "pg-1" });
    assert.equal(r.ranking!.find((a) => a.id === "c")!.probability, 0);
    assert.equal((await client.events.activate("pg-1"))._response.status, 204);
    assert.equal((await client.events.reward("pg-1", { value: 1 }))._response.status, 204);
  });

  it("multislot, logs and metrics through the REST client", async () => {
    const client = personalizerRest.default(server.url, new AzureKeyCredential(key), { allowInsecureConnection: true });
    const res = await client.path("/multislot/rank").post({
      body: {
        actions,
        slots: [
          { id: "Main", baselineAction: "a" },
          { id: "Side", baselineAction: "b" },
        ],
        eventId: "pg-ms",
        deferActivation: true,
      },
    });
    assert.equal(res.status, "201");
    assert.equal((await client.path("/multislot/events/{eventId}/activate", "pg-ms").post()).status, "204");
    const reward = await client.path("/multislot/events/{eventId}/reward", "pg-ms").post({
      body: {
        reward: [
          { slotId: "Main", value: 1 },
          { slotId: "Side", value: 0.5 },
        ],
      },
    });
    assert.equal(reward.status, "204");
    const props = await client.path("/logs/properties").get();
    assert.equal(props.status, "200");
    const metrics = await client
      .pathUnchecked("/metrics/learning")
      .get({ queryParameters: { aggregationInterval: "PT1H" } });
    assert.equal(metrics.status, "200");
    assert.ok((metrics.body as { rewardCount: number }).rewardCount >= 3, JSON.stringify(metrics.body));
    assert.equal((await client.path("/logs").delete()).status, "204");
    assert.equal((await client.path("/logs/properties").get()).status, "404");
  });
});

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PersonalizerClient } from "@azure/cognitiveservices-personalizer";
import { ApiKeyCredentials } from "@azure/ms-rest-js";
import { type LoopServer, startLoopServer } from "./helpers/loop-server.js";

/*
 * The official v1.0 client (@azure/cognitiveservices-personalizer), unchanged: only the
 * endpoint (a started banditry server) and the key (bound to a loop) differ from Azure.
 */

function personalizer(endpoint: string, key: string): PersonalizerClient {
  return new PersonalizerClient(new ApiKeyCredentials({ inHeader: { "Ocp-Apim-Subscription-Key": key } }), endpoint);
}

const actions = [
  { id: "NewsArticle", features: [{ type: "News", length: 3 }] },
  { id: "SportsArticle", features: [{ type: "Sports" }] },
  { id: "EntertainmentArticle", features: [{ type: "Entertainment" }] },
];

async function rejectsWith(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    const err = e as { statusCode?: number; code?: string; body?: { error?: { code?: string } } };
    assert.equal(err.statusCode, status, `status of ${String(e)}`);
    assert.equal(err.code, code, `code of ${String(e)}`);
    return true;
  });
}

describe("Personalizer v1.0 client against banditry", () => {
  let server: LoopServer;
  let client: PersonalizerClient;
  before(async () => {
    server = await startLoopServer();
    client = personalizer(server.url, (await server.createLoop("news")).key);
  });
  after(() => server.close());

  it("rank lists every action, excluded ones with probability 0, and echoes the eventId", async () => {
    const r = await client.rank({
      contextFeatures: [{ timeOfDay: "Morning" }, { device: { os: "ios" } }],
      actions,
      excludedActions: ["SportsArticle"],
      eventId: "75269AD0-BFEE-4598-8196-C57383D38E10",
    });
    assert.equal(r._response.status, 201);
    assert.equal(r.eventId, "75269AD0-BFEE-4598-8196-C57383D38E10");
    assert.deepEqual(r.ranking!.map((a) => a.id).sort(), actions.map((a) => a.id).sort());
    assert.equal(r.ranking!.find((a) => a.id === "SportsArticle")!.probability, 0);
    assert.notEqual(r.rewardActionId, "SportsArticle");
    const total = r.ranking!.reduce((s, a) => s + a.probability!, 0);
    assert.ok(Math.abs(total - 1) < 1e-6, `probabilities add up to 1, got ${total}`);
    const chosen = r.ranking!.find((a) => a.id === r.rewardActionId)!;
    assert.ok(chosen.probability! > 0, "the chosen action has a positive probability");
  });

  it("generates an eventId when none is given; reward answers 204", async () => {
    const r = await client.rank({ actions });
    assert.match(r.eventId!, /^[0-9a-f-]{36}$/);
    const reward = await client.events.reward(r.eventId!, { value: 0.8 });
    assert.equal(reward._response.status, 204);
    // a second reward is ignored (earliest aggregation), as Personalizer did
    assert.equal((await client.events.reward(r.eventId!, { value: 1 }))._response.status, 204);
  });

  it("deferActivation then activate answers 204; activating an unknown event is InvalidEventIdToActivate", async () => {
    const r = await client.rank({ actions, deferActivation: true, eventId: "deferred-1" });
    assert.equal((await client.events.reward("deferred-1", { value: 1 }))._response.status, 204);
    assert.equal((await client.events.activate("deferred-1"))._response.status, 204);
    assert.equal(r.eventId, "deferred-1");
    await rejectsWith(client.events.activate("never-ranked"), 404, "InvalidEventIdToActivate");
  });

  it("surfaces Personalizer's error codes for bad requests", async () => {
    await rejectsWith(client.events.reward("never-ranked", { value: 1 }), 404, "InvalidRewardRequest");
    await rejectsWith(client.rank({ actions: [] }), 400, "InvalidRankRequest");
    await rejectsWith(
      client.rank({ actions: Array.from({ length: 51 }, (_, i) => ({ id: `a${i}`, features: [] })) }),
      400,
      "InvalidRankRequest",
    );
    await rejectsWith(client.rank({ actions, excludedActions: ["nope"] }), 400, "InvalidRankRequest");
    await rejectsWith(
      client.rank({ actions, eventId: "dup-1" }).then(() => client.rank({ actions, eventId: "dup-1" })),
      409,
      "InvalidRankRequest",
    );
    const r = await client.rank({ actions });
    await rejectsWith(client.events.reward(r.eventId!, { value: 2 }), 400, "InvalidRewardRequest");
  });

  it("refuses unknown keys (401) and keys not bound to a loop (403)", async () => {
    await rejectsWith(personalizer(server.url, "bdt_not-a-key").rank({ actions }), 401, "Unauthorized");
    await rejectsWith(personalizer(server.url, server.adminKey).rank({ actions }), 403, "InvalidApiAccess");
  });

  it("keeps loops apart: the same eventId in two loops, each key only reaching its own", async () => {
    const other = personalizer(server.url, (await server.createLoop("sports")).key);
    await client.rank({ actions, eventId: "shared-1" });
    await other.rank({ actions, eventId: "shared-1" });
    await other.events.reward("shared-1", { value: 1 });
    await rejectsWith(other.events.reward("only-in-news", { value: 1 }), 404, "InvalidRewardRequest");
  });

  it("rejects ids over 256 characters and a body that is not JSON (raw HTTP)", async () => {
    const key = (await server.createLoop("raw")).key;
    const post = (body: string, type = "application/json") =>
      fetch(`${server.url}/personalizer/v1.0/rank`, {
        method: "POST",
        headers: { "Ocp-Apim-Subscription-Key": key, "content-type": type },
        body,
      });
    const long = await post(JSON.stringify({ actions, eventId: "e".repeat(257) }));
    assert.equal(long.status, 400);
    assert.equal(((await long.json()) as { error: { code: string } }).error.code, "InvalidRankRequest");
    const broken = await post("{not json");
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { error: { code: string } }).error.code, "InvalidRankRequest");
    const missing = await fetch(`${server.url}/personalizer/v1.0/nowhere`, {
      headers: { "Ocp-Apim-Subscription-Key": key },
    });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, "ResourceNotFound");
    // the v1 API keeps its own error shape
    const v1 = await fetch(`${server.url}/v1/experiments`, { headers: { authorization: "Bearer nope" } });
    assert.match(((await v1.json()) as { error: { code: string } }).error.code, /^BANDITRY_/);
  });
});

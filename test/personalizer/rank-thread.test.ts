import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { StaleLinearState } from "../../src/engine/linear/linear-rank-state.js";
import { loopEventId } from "../../src/personalizer/loop-event-id.js";
import { RankThread } from "../../src/personalizer/rank-thread/rank-thread.js";
import { resolveLinearThompsonOptions } from "../../src/stats/linear/linear-thompson-options.js";
import type { PosteriorPool } from "../../src/stats/linear/posterior-pool.js";
import { createRng, type Rng } from "../../src/stats/rng.js";
import { createTestApp, type TestApp } from "../http/helpers/test-app.js";

/*
 * The rank thread (RankThread) against the main thread: two apps on engines with the same seed,
 * one deciding ranks on the thread, one on its main thread, get the same bodies in the same order
 * and must answer alike, log alike, and refuse alike.
 */

const ARTICLES = ["tech", "garden", "schools", "sports", "travel", "food", "music", "cars"];

function rankBody(rng: Rng, i: number): Record<string, unknown> {
  // the catalog grows at i = 10 (actions created on first sight, mid-run)
  const offered = ARTICLES.slice(0, i < 10 ? 5 : 8).filter(() => rng.next() < 0.8);
  if (offered.length < 2) offered.push("tech", "food");
  const ids = [...new Set(offered)];
  const body: Record<string, unknown> = {
    contextFeatures: [
      { user: { type: ["student", "parent"][rng.nextInt(2)], age: rng.nextInt(80) } },
      { hour: i % 24 },
    ],
    actions: ids.map((id) => ({
      id,
      features: [{ topic: id, len: id.length }, { price: { eur: (id.length * 7) % 11 } }],
    })),
  };
  if (rng.next() < 0.3) body.excludedActions = [ids[0]];
  if (rng.next() < 0.3) body.eventId = `client-${i}`;
  if (rng.next() < 0.2) body.deferActivation = true;
  return body;
}

async function post(t: TestApp, key: string, payload: string) {
  const res = await t.app.inject({
    method: "POST",
    url: "/personalizer/v1.0/rank",
    headers: { "Ocp-Apim-Subscription-Key": key, "content-type": "application/json" },
    payload,
  });
  return { status: res.statusCode, type: res.headers["content-type"], body: res.json() as Record<string, unknown> };
}

async function createLoop(t: TestApp, id: string): Promise<string> {
  const res = await t.app.inject({ method: "POST", url: "/v1/loops", headers: t.auth.admin, payload: { id } });
  assert.equal(res.statusCode, 201, res.body);
  return (res.json() as { secret: string }).secret;
}

describe("the rank thread", () => {
  const thread = new RankThread();
  let threaded: TestApp;
  let plain: TestApp;
  before(async () => {
    threaded = await createTestApp({ rankThread: thread });
    plain = await createTestApp();
    assert.equal(await thread.whenReady(), true, "the rank thread started");
  });
  after(async () => {
    await thread.close();
    await threaded.close();
    await plain.close();
  });

  it("decides and logs as the main thread does, from the same seeds", async () => {
    const keys = [await createLoop(threaded, "same"), await createLoop(plain, "same")];
    const rng = createRng(99);
    const before = thread.counts.ranked;
    for (let i = 0; i < 40; i++) {
      const payload = JSON.stringify(rankBody(rng, i));
      const [a, b] = [await post(threaded, keys[0]!, payload), await post(plain, keys[1]!, payload)];
      assert.equal(a.status, 201, JSON.stringify(a.body));
      assert.equal(b.status, 201, JSON.stringify(b.body));
      assert.deepEqual(a.body.ranking, b.body.ranking, `rank ${i}: ${payload}`);
      assert.equal(a.type, b.type);
      assert.deepEqual(Object.keys(a.body), Object.keys(b.body), "the same fields, in the same order");
      assert.equal(a.body.rewardActionId, b.body.rewardActionId);
      const eventId = (x: Record<string, unknown>) => loopEventId("same", String(x.eventId));
      const [da] = (await threaded.stores.eventStore.getDecisions([eventId(a.body)])).values();
      const [db] = (await plain.stores.eventStore.getDecisions([eventId(b.body)])).values();
      assert.ok(da !== undefined && db !== undefined);
      assert.deepEqual(da.features, db.features, `rank ${i}: the logged features`);
      assert.deepEqual(
        [da.armId, da.propensity, da.seed, da.activated, da.ranking],
        [db.armId, db.propensity, db.seed, db.activated, db.ranking],
      );
      if (payload.includes('"eventId"')) assert.equal(a.body.eventId, b.body.eventId);
    }
    assert.equal(thread.counts.ranked - before, 40, "every rank was decided on the thread");
  });

  it("refuses bad bodies with the main thread's errors", async () => {
    const keys = [await createLoop(threaded, "errors"), await createLoop(plain, "errors")];
    const deep = `{"actions":[{"id":"a","features":${"[".repeat(70)}${"]".repeat(70)}}]}`;
    const bodies = [
      "{}",
      '{"actions":[]}',
      '{"actions":[{"id":"a"},{"id":"a"}]}',
      '{"actions":[{"id":"a"}],"excludedActions":["a"]}',
      '{"actions":[{"id":"a"}],"excludedActions":["b"]}',
      '{"actions":[{"id":"a"}],"eventId":7}',
      `{"actions":[{"id":"a"}],"eventId":"${"e".repeat(257)}"}`,
      '{"actions":[{"id":"a","features":"text"}]}',
      '{"actions":[{"id":"a","features":[1]}]}',
      '{"actions":[{"id":"a"}],"contextFeatures":7}',
      '{"actions":[{"id":"a"}],"deferActivation":"yes"}',
      JSON.stringify({ actions: Array.from({ length: 51 }, (_, i) => ({ id: `a${i}` })) }),
      deep,
      '{"actions":[{"id":"a"}]',
      "[1,2",
      "null",
      "[]",
    ];
    const before = thread.counts.refused;
    for (const payload of bodies) {
      const [a, b] = [await post(threaded, keys[0]!, payload), await post(plain, keys[1]!, payload)];
      assert.equal(a.status, b.status, payload);
      assert.ok(a.status >= 400 && a.status < 500, `${payload}: ${a.status}`);
      assert.deepEqual(a.body, b.body, payload);
    }
    assert.ok(thread.counts.refused - before >= 10, "the thread refused most of them itself");
  });

  it("keeps up with learning: the pool it ranks from follows the main thread's", async () => {
    const key = await createLoop(threaded, "learns");
    const rng = createRng(5);
    const before = thread.counts.ranked;
    let served = 0;
    for (let i = 0; i < 300; i++) {
      const { eventId: _, ...body0 } = rankBody(rng, 0);
      const { status, body } = await post(threaded, key, JSON.stringify(body0));
      assert.equal(status, 201, JSON.stringify(body));
      // "sports" is always rewarded, everything else never
      const value = body.rewardActionId === "sports" ? 1 : 0;
      if (i >= 200) served += value;
      const reward = await threaded.app.inject({
        method: "POST",
        url: `/personalizer/v1.0/events/${String(body.eventId)}/reward`,
        headers: { "Ocp-Apim-Subscription-Key": key, "content-type": "application/json" },
        payload: { value },
      });
      assert.equal(reward.statusCode, 204, reward.body);
    }
    assert.ok(thread.counts.ranked - before >= 290, "the thread decided the ranks");
    // offered with probability ~0.8 among ~4 actions, 20% exploration: well above a quarter once learned
    assert.ok(served > 45, `"sports" served ${served} times in the last 100 ranks`);
  });

  it("leaves a decision whose settings changed meanwhile to be made again", async () => {
    await createLoop(threaded, "stale");
    const engine = threaded.engine;
    const state = await engine.linearRankState("stale");
    assert.ok(state !== undefined);
    await engine.addArm("stale", { id: "extra" });
    const decision = {
      armId: "extra",
      ranking: [{ armId: "extra", probability: 1 }],
      propensity: 1,
      seed: state.seed,
      featuresText: '{"context":null,"actions":[{"id":"extra"}]}',
    };
    await assert.rejects(
      engine.decide({ experimentId: "stale", eventId: "stale/1", prepared: { state, ids: ["extra"], decision } }),
      StaleLinearState,
    );
  });

  it("is not used for loops with a control group (the main thread assigns units)", async () => {
    const t = await createTestApp({ rankThread: true });
    try {
      await createLoop(t, "held-out");
      const patch = await t.app.inject({
        method: "PATCH",
        url: "/v1/experiments/held-out",
        headers: t.auth.admin,
        payload: { control: { share: 0.5 } },
      });
      assert.equal(patch.statusCode, 200, patch.body);
      assert.equal(await t.engine.linearRankState("held-out"), undefined);
    } finally {
      await t.close();
    }
  });
});

describe("a rank thread that stops", () => {
  it("leaves the ranks in flight to the main thread", async () => {
    const thread = new RankThread();
    const t = await createTestApp({ rankThread: thread });
    try {
      assert.equal(await thread.whenReady(), true);
      const key = await createLoop(t, "stops");
      const rng = createRng(3);
      const answers = Array.from({ length: 30 }, (_, i) => post(t, key, JSON.stringify(rankBody(rng, i))));
      await new Promise((r) => setImmediate(r));
      await thread.close();
      for (const a of await Promise.all(answers)) assert.equal(a.status, 201, JSON.stringify(a.body));
      assert.equal(thread.ready(), false, "a closed thread is not started again");
      assert.equal((await post(t, key, JSON.stringify(rankBody(rng, 0)))).status, 201);
    } finally {
      await t.close();
    }
  });
});

describe("a rank thread that fails", () => {
  it("answers its ranks in flight as declined, says why, and is started again", async () => {
    const errors: unknown[] = [];
    const thread = new RankThread((e) => errors.push(e));
    try {
      assert.equal(await thread.whenReady(), true);
      // a pool whose copy has the wrong size makes the thread throw outside any rank: it dies
      const broken = { size: 4, dimension: 8, seed: 1, version: 0, weightsCopy: () => new Float32Array(3) };
      const state = {
        settings: { explorationShare: 0, learningMode: "online" as const, inactive: [] },
        options: resolveLinearThompsonOptions({ dimension: 8, poolSize: 4 }),
        pool: broken as unknown as PosteriorPool,
        seed: 1,
      };
      const answer = await thread.rank("loop", state, '{"actions":[{"id":"a"}]}');
      assert.equal(answer.t, "declined");
      assert.equal(thread.ready(), false, "restarting");
      assert.equal(await thread.whenReady(), true, "started again");
      assert.equal(errors.length, 1);
      assert.match(String(errors[0]), /pool weights have 3 values/);
    } finally {
      await thread.close();
    }
  });
});

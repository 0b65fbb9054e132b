import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PersonalizerClient } from "@azure/cognitiveservices-personalizer";
import { ApiKeyCredentials } from "@azure/ms-rest-js";
import { createRng } from "../../src/stats/rng.js";
import { type LoopServer, startLoopServer } from "./helpers/loop-server.js";

/*
 * A synthetic world through the v1.0 client: three user types, each with its own best article
 * (click probability 0.8, the others 0.2). A random choice clicks 35% of the time; the loop
 * must rise clearly above that.
 */

const TYPES = ["student", "retiree", "parent"] as const;
const ARTICLES = ["tech", "gardening", "schools", "sports"] as const;
const BEST: Record<(typeof TYPES)[number], (typeof ARTICLES)[number]> = {
  student: "tech",
  retiree: "gardening",
  parent: "schools",
};
const RANDOM_RATE = (0.8 + 3 * 0.2) / 4;

describe("a loop learns through the v1.0 client", () => {
  let server: LoopServer;
  before(async () => {
    server = await startLoopServer();
  });
  after(() => server.close());

  it("its click rate rises clearly above random", async (t) => {
    const key = (await server.createLoop("learn")).key;
    const client = new PersonalizerClient(
      new ApiKeyCredentials({ inHeader: { "Ocp-Apim-Subscription-Key": key } }),
      server.url,
    );
    const rng = createRng(20260101);
    const actions = ARTICLES.map((id) => ({ id, features: [{ topic: id }] }));
    const events = 900;
    const clicks: number[] = [];
    for (let i = 0; i < events; i++) {
      const type = TYPES[Math.floor(rng.next() * TYPES.length)]!;
      const r = await client.rank({
        contextFeatures: [{ user: { type } }, { device: i % 2 ? "mobile" : "desktop" }],
        actions,
      });
      const p = r.rewardActionId === BEST[type] ? 0.8 : 0.2;
      const click = rng.next() < p ? 1 : 0;
      clicks.push(click);
      await client.events.reward(r.eventId!, { value: click });
    }
    const rate = (from: number, to: number) => clicks.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
    const first = rate(0, 150);
    const last = rate(events - 300, events);
    t.diagnostic(
      `click rate: first 150 events ${first.toFixed(3)}, last 300 ${last.toFixed(3)}, random ${RANDOM_RATE}`,
    );
    // 300 Bernoulli draws: a standard error of at most 0.029; 0.15 above random is > 5 of them
    assert.ok(
      last > RANDOM_RATE + 0.15,
      `click rate over the last 300 events ${last.toFixed(3)} vs random ${RANDOM_RATE}`,
    );
    assert.ok(last > first, `learning: first 150 ${first.toFixed(3)}, last 300 ${last.toFixed(3)}`);
  });
});

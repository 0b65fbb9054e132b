import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { loadConfig } from "../../src/config.js";
import { type ServerHandle, startServer } from "../../src/server.js";
import { tempDataDir } from "../helpers/sqlite.js";

/*
 * DELETE /logs keeps the model: the server saves a snapshot at the model's log position first,
 * so a restart (snapshot + the now empty log) still knows what was learned. A real server on
 * SQLite, restarted on the same data directory.
 */

const actions = [
  { id: "news", features: [{ type: "news" }] },
  { id: "sports", features: [{ type: "sports" }] },
  { id: "weather", features: [{ type: "weather" }] },
];

async function start(dataDir: string): Promise<ServerHandle> {
  const config = loadConfig(
    { port: 0, host: "127.0.0.1", dataDir, databaseUrl: null, sqliteSynchronous: "NORMAL", logLevel: "silent" },
    {},
  );
  return startServer(config, { handleSignals: false, print: () => {} });
}

async function call(server: ServerHandle, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/personalizer/v1.0${path}`, {
    method,
    headers: { "Ocp-Apim-Subscription-Key": key, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === "" ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

async function learnedRewards(server: ServerHandle, key: string): Promise<number> {
  const res = await call(server, key, "GET", "/model");
  assert.equal(res.status, 200, "GET /model");
  return res.json!.learnedRewards as number;
}

describe("Personalizer DELETE /logs", () => {
  const tmp = tempDataDir();
  after(async () => (await tmp).remove());

  it("keeps what the model learned across a restart", async () => {
    const { dir } = await tmp;
    let server = await start(dir);
    const created = await fetch(`${server.url}/v1/loops`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.initialAdminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ id: "web" }),
    });
    assert.equal(created.status, 201, "loop created");
    const key = ((await created.json()) as { secret: string }).secret;

    const n = 12;
    for (let i = 0; i < n; i++) {
      const rank = await call(server, key, "POST", "/rank", { contextFeatures: [{ user: { n: i % 3 } }], actions });
      assert.equal(rank.status, 201, "rank");
      const reward = await call(server, key, "POST", `/events/${rank.json!.eventId}/reward`, { value: i % 2 });
      assert.equal(reward.status, 204, "reward");
    }
    const until = Date.now() + 10_000;
    while ((await learnedRewards(server, key)) < n && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    const learned = await learnedRewards(server, key);
    assert.equal(learned, n, "every reward learned before the logs are deleted");

    assert.equal((await call(server, key, "DELETE", "/logs")).status, 204, "DELETE /logs");
    assert.equal((await call(server, key, "GET", "/logs/properties")).status, 404, "the logs are gone");
    await server.close();

    server = await start(dir);
    try {
      assert.equal(await learnedRewards(server, key), learned, "the restarted server's model learned as much");
    } finally {
      await server.close();
    }
  });
});

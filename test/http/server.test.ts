import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, describe, it } from "node:test";
import { loadConfig } from "../../src/config.js";
import { startServer } from "../../src/server.js";
import { createStores } from "../../src/stores/create-stores.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "banditry-server-"));
  dirs.push(d);
  return d;
}

const json = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });

async function decisionsStored(dataDir: string, experimentId: string): Promise<number> {
  const stores = await createStores({ kind: "sqlite", dataDir });
  try {
    const rows = await stores.eventStore.groupStats(experimentId);
    return rows.reduce((n, r) => n + r.decisions, 0);
  } finally {
    await stores.close();
  }
}

describe("startServer", () => {
  it("creates and prints the first admin key once, serves the API, and keeps data across restarts", async () => {
    const dataDir = tempDir();
    const config = loadConfig({ port: 0, dataDir, logLevel: "silent" }, {});
    const printed: string[] = [];
    const first = await startServer(config, { handleSignals: false, print: (l) => printed.push(l) });
    let key: string;
    try {
      assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      key = first.initialAdminKey!;
      assert.match(key, /^bdt_[A-Za-z0-9_-]{43}$/);
      assert.equal(printed.filter((l) => l.includes(key)).length, 1, "the key is printed exactly once");
      assert.ok(printed.some((l) => l.includes(first.url)));

      assert.equal((await fetch(`${first.url}/health`)).status, 200);
      assert.equal((await fetch(`${first.url}/v1/experiments`)).status, 401);
      const created = await fetch(`${first.url}/v1/experiments`, {
        method: "POST",
        headers: json(key),
        body: JSON.stringify({ id: "persist", reward: "bernoulli", arms: [{ id: "a" }, { id: "b" }] }),
      });
      assert.equal(created.status, 201);
      const decided = await fetch(`${first.url}/v1/experiments/persist/decisions`, {
        method: "POST",
        headers: json(key),
        body: "{}",
      });
      assert.equal(decided.status, 201);
      const metrics = await (await fetch(`${first.url}/metrics`)).text();
      assert.match(metrics, /banditry_engine_group_commits_total [1-9]/);
      assert.match(metrics, /banditry_group_commit_events_count [1-9]/, "each commit's size is observed");
      assert.match(metrics, /banditry_group_commit_duration_seconds_count [1-9]/);
      assert.match(metrics, /banditry_process_cpu_user_seconds_total/);
    } finally {
      await first.close();
    }
    await first.close(); // idempotent

    printed.length = 0;
    const second = await startServer(config, { handleSignals: false, print: (l) => printed.push(l) });
    try {
      assert.equal(second.initialAdminKey, null, "no new key when keys exist");
      assert.ok(!printed.some((l) => l.includes("bdt_")));
      const got = await fetch(`${second.url}/v1/experiments/persist`, { headers: json(key) });
      assert.equal(got.status, 200, "the first key and the experiment survived the restart");
    } finally {
      await second.close();
    }
    assert.equal(await decisionsStored(dataDir, "persist"), 1);
  });

  it("on close, answers every accepted request and leaves each acknowledged decision durable", async () => {
    const dataDir = tempDir();
    const server = await startServer(loadConfig({ port: 0, dataDir, logLevel: "silent", flushIntervalMs: 1000 }, {}), {
      handleSignals: false,
      print: () => {},
    });
    const key = server.initialAdminKey!;
    await fetch(`${server.url}/v1/experiments`, {
      method: "POST",
      headers: json(key),
      body: JSON.stringify({ id: "drain", reward: "bernoulli", arms: [{ id: "a" }, { id: "b" }] }),
    });
    // Requests in flight (waiting for a slow, 1 s group commit) when close starts.
    const inflight = Array.from({ length: 30 }, () =>
      fetch(`${server.url}/v1/experiments/drain/decisions`, { method: "POST", headers: json(key), body: "{}" }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    await new Promise((r) => setTimeout(r, 400));
    await server.close();
    const statuses = await Promise.all(inflight);
    const acknowledged = statuses.filter((s) => s === 201).length;
    assert.ok(acknowledged > 0, `some requests were in flight: ${statuses.join(",")}`);
    assert.equal(acknowledged, 30, `every request that reached the server is answered: ${statuses.join(",")}`);
    assert.equal(await decisionsStored(dataDir, "drain"), 30);
  });

  it("shuts down gracefully on SIGTERM (exit code 0, decisions durable)", async () => {
    const dataDir = tempDir();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "helpers", "serve.ts"), dataDir],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (c) => {
      stderr += String(c);
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const ready = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on("line", (l) => {
        if (l.startsWith("READY ")) resolve(l.slice(6));
      });
      child.once("exit", () => reject(new Error(`server exited early: ${stderr}`)));
    });
    const { url, key } = JSON.parse(ready) as { url: string; key: string };
    await fetch(`${url}/v1/experiments`, {
      method: "POST",
      headers: json(key),
      body: JSON.stringify({ id: "sig", reward: "bernoulli", arms: [{ id: "a" }] }),
    });
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${url}/v1/experiments/sig/decisions`, { method: "POST", headers: json(key), body: "{}" });
      assert.equal(r.status, 201);
    }
    child.kill("SIGTERM");
    assert.equal(await exited, 0, stderr);
    assert.equal(await decisionsStored(dataDir, "sig"), 5);
  });
});

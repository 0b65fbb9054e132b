/**
 * Decision route throughput against a bare Fastify hello-world, on this machine.
 * Each server runs in its own child process (so the load generator does not share its
 * event loop); autocannon runs here. Runs alternate hello / banditry; medians are printed.
 *
 *   npx tsx bench/http-decide.ts [seconds=5] [runs=3] [connections=64]
 *
 * The banditry server is the real one (startServer): SQLite in a temp dir with durable
 * group commit (synchronous=FULL, flush every 2 ms), auth with a decide key, metrics on,
 * request logging off (the default).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import Fastify from "fastify";
import { loadConfig } from "../src/config.js";
import { startServer } from "../src/server.js";

const mode = process.argv[2];

if (mode === "serve-hello") {
  const app = Fastify();
  app.get("/", async () => ({ hello: "world" }));
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  process.stdout.write(JSON.stringify({ url }) + "\n");
} else if (mode === "serve-banditry") {
  const dataDir = process.argv[3]!;
  const handle = await startServer(loadConfig({ port: 0, dataDir, logLevel: "warn" }, {}), {
    handleSignals: false,
    print: () => {},
  });
  const admin = { authorization: `Bearer ${handle.initialAdminKey}`, "content-type": "application/json" };
  await fetch(`${handle.url}/v1/experiments`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({
      id: "bench",
      reward: "bernoulli",
      arms: Array.from({ length: 5 }, (_, i) => ({ id: `arm-${i}`, value: { multiplier: 1 + i / 10 } })),
    }),
  });
  const created = await fetch(`${handle.url}/v1/keys`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ name: "bench", scopes: ["decide"] }),
  });
  const { secret } = (await created.json()) as { secret: string };
  process.stdout.write(JSON.stringify({ url: handle.url, key: secret }) + "\n");
} else {
  const seconds = Number(process.argv[2] ?? 5);
  const runs = Number(process.argv[3] ?? 3);
  const connections = Number(process.argv[4] ?? 64);

  async function serve(args: string[]): Promise<{ info: { url: string; key?: string }; stop: () => void }> {
    const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    });
    return { info: JSON.parse(line), stop: () => child.kill("SIGKILL") };
  }

  async function load(opts: autocannon.Options): Promise<number> {
    const result = await autocannon({ duration: seconds, connections, ...opts });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`bench saw ${result.non2xx} non-2xx answers and ${result.errors} errors`);
    }
    return result.requests.average;
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const hello: number[] = [];
  const decide: number[] = [];
  console.log(`node ${process.version}, ${seconds}s per run, ${runs} runs, ${connections} connections`);
  for (let r = 0; r < runs; r++) {
    const h = await serve(["serve-hello"]);
    try {
      hello.push(await load({ url: h.info.url }));
    } finally {
      h.stop();
    }
    const dataDir = mkdtempSync(join(tmpdir(), "banditry-bench-"));
    const b = await serve(["serve-banditry", dataDir]);
    try {
      decide.push(
        await load({
          url: `${b.info.url}/v1/experiments/bench/decisions`,
          method: "POST",
          headers: { authorization: `Bearer ${b.info.key}`, "content-type": "application/json" },
          body: JSON.stringify({ context: { country: "de" }, unitId: "u1" }),
        }),
      );
    } finally {
      b.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    console.log(`run ${r + 1}: hello-world ${hello[r]!.toFixed(0)} req/s, decide ${decide[r]!.toFixed(0)} req/s`);
  }
  const ratio = median(decide) / median(hello);
  console.log(
    `median: hello-world ${median(hello).toFixed(0)} req/s, decide ${median(decide).toFixed(0)} req/s, ratio ${(ratio * 100).toFixed(0)}%`,
  );
}

/**
 * Decision route throughput against a bare Fastify hello-world, on this machine, in one run.
 * Each server runs in its own child process, and so does the load generator (the autocannon
 * CLI, same connections and duration for every server, pipelining 1). Two hello-worlds:
 * - "hello-world (same request)": bare Fastify answering the very request the decide runs send
 *   (POST /v1/experiments/bench/decisions with the same JSON body, content type and
 *   Authorization header; Fastify's default JSON parser reads the body, the answer is a constant
 *   decision-shaped JSON). The goals (>= 60% of its req/s, p99 <= 2× its p99) are judged against
 *   this one: same load settings, same bytes on the wire, so the ratio is banditry's own cost.
 * - "hello-world GET /": the classic {hello: "world"} to a bodiless GET, printed for reference (a
 *   request without a body is cheaper to read, and its answer cheaper to write).
 * Each server gets 2 s of its load unmeasured (JIT warm-up), then the measured run.
 * Each round runs both hello-worlds, then banditry with SQLite synchronous NORMAL (the default), FULL, and
 * NORMAL / FULL with the SQLite connection in a worker thread, and NORMAL with SQLite's own
 * checkpoints inside the COMMIT instead of the checkpoint thread; medians over rounds (req/s, server
 * CPU, autocannon's p50, p99 and p99.9 latency) and the ratios to the same round's hello-worlds.
 *
 *   npx tsx bench/http-decide.ts [seconds=5] [runs=3] [connections=64]
 *
 * The banditry server is the real one (startServer): an experiment with K = 10 arms, SQLite in a
 * temp dir with durable group commit (written at the end of each event-loop turn; synchronous FULL = fsync per commit,
 * NORMAL = durable against process crashes, no fsync), auth with a decide key, metrics on, request
 * logging off (the default). "GET experiment" (served from memory: auth, routing, metrics, response
 * serialization, no store) isolates the HTTP layer's own cost from the decision's store write.
 */

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Fastify from "fastify";
import { loadConfig } from "../src/config.js";
import { startServer } from "../src/server.js";
import { type AutocannonRun, autocannon } from "./helpers/autocannon.js";

const mode = process.argv[2];

/** Server side: "mark" on stdin starts a CPU measurement, "report" prints the CPU time used since. */
function reportCpuOnRequest(): void {
  let mark = process.cpuUsage();
  createInterface({ input: process.stdin }).on("line", (line) => {
    if (line === "mark") mark = process.cpuUsage();
    if (line === "report") {
      const d = process.cpuUsage(mark);
      process.stdout.write(JSON.stringify({ cpuUs: d.user + d.system }) + "\n");
    }
  });
}

if (mode === "serve-hello") {
  const app = Fastify();
  app.get("/", async () => ({ hello: "world" }));
  // the size and shape of a real answer (a generated UUIDv7 event id)
  const answer = {
    eventId: "019aeb3c-1f2a-7b4d-8c3e-5f6a7b8c9d0e",
    arm: { id: "arm-3", value: { multiplier: 1.3 } },
    group: "bandit",
  };
  app.post("/v1/experiments/bench/decisions", async (_request, reply) => reply.code(201).send(answer));
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  reportCpuOnRequest();
  process.stdout.write(JSON.stringify({ url }) + "\n");
} else if (mode === "serve-banditry") {
  const dataDir = process.argv[3]!;
  const sqliteSynchronous = process.argv[4] === "NORMAL" ? "NORMAL" : "FULL";
  const sqliteWorker = process.argv[5] === "worker";
  const sqliteBackgroundCheckpoints = process.argv[6] !== "inline";
  const config = loadConfig(
    { port: 0, dataDir, logLevel: "warn", sqliteSynchronous, sqliteWorker, sqliteBackgroundCheckpoints },
    {},
  );
  const handle = await startServer(config, {
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
      arms: Array.from({ length: 10 }, (_, i) => ({ id: `arm-${i}`, value: { multiplier: 1 + i / 10 } })),
    }),
  });
  const created = await fetch(`${handle.url}/v1/keys`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ name: "bench", scopes: ["decide", "read"] }),
  });
  const { secret } = (await created.json()) as { secret: string };
  reportCpuOnRequest();
  process.stdout.write(JSON.stringify({ url: handle.url, key: secret }) + "\n");
} else {
  const seconds = Number(process.argv[2] ?? 5);
  const runs = Number(process.argv[3] ?? 3);
  const connections = Number(process.argv[4] ?? 64);
  const WARMUP_SECONDS = 2;

  interface Server {
    info: { url: string; key?: string };
    /** Runs work and returns the server's CPU time meanwhile (µs). */
    measure: <T>(work: () => Promise<T>) => Promise<{ result: T; cpuUs: number }>;
    stop: () => void;
  }

  async function serve(args: string[]): Promise<Server> {
    const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, ...args], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout! });
    const nextLine = () =>
      new Promise<string>((resolve, reject) => {
        lines.once("line", resolve);
        child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
      });
    const info = JSON.parse(await nextLine());
    return {
      info,
      async measure(work) {
        child.stdin!.write("mark\n");
        const result = await work();
        const reply = nextLine();
        child.stdin!.write("report\n");
        return { result, cpuUs: (JSON.parse(await reply) as { cpuUs: number }).cpuUs };
      },
      stop: () => child.kill("SIGKILL"),
    };
  }

  /** Requests per second (mean over the run), from the autocannon CLI in its own process. */
  async function load(
    url: string,
    options: { key?: string; body?: string } = {},
    duration = seconds,
  ): Promise<AutocannonRun> {
    const headers = options.key === undefined ? [] : [`authorization=Bearer ${options.key}`];
    return autocannon(url, {
      connections,
      seconds: duration,
      ...(options.body === undefined ? {} : { body: options.body }),
      headers,
    });
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  type Figures = {
    perSecond: number[];
    ratio: number[];
    cpuUsPerRequest: number[];
    p50: number[];
    p99: number[];
    p999: number[];
  };
  const figures = (): Figures => ({ perSecond: [], ratio: [], cpuUsPerRequest: [], p50: [], p99: [], p999: [] });
  const hello = figures();
  const helloGet = figures();
  const getExperiment = figures();
  const variants = [
    { name: "decide NORMAL (default)", sync: "NORMAL", thread: "main", f: figures() },
    { name: "decide FULL", sync: "FULL", thread: "main", f: figures() },
    { name: "decide NORMAL worker", sync: "NORMAL", thread: "worker", f: figures() },
    { name: "decide FULL worker", sync: "FULL", thread: "worker", f: figures() },
    // SQLite's own checkpoints, inside the COMMIT that crosses 10,000 pages (sqliteBackgroundCheckpoints = false)
    { name: "decide NORMAL inline checkpoints", sync: "NORMAL", thread: "main", checkpoints: "inline", f: figures() },
  ] as const;
  async function run(server: Server, into: Figures, url: string, options?: { key?: string; body?: string }) {
    // the same load unmeasured first: JIT compilation and the first allocations of a fresh
    // process are not its steady state (every server, hello-worlds included, is warmed alike)
    await load(url, options, WARMUP_SECONDS);
    const { result, cpuUs } = await server.measure(() => load(url, options));
    into.perSecond.push(result.perSecond);
    // the same round's same-request hello-world: a ratio taken close in time shrinks the noise of a shared machine
    into.ratio.push(result.perSecond / (hello.perSecond.at(-1) ?? result.perSecond));
    into.cpuUsPerRequest.push(cpuUs / result.total);
    into.p50.push(result.p50);
    into.p99.push(result.p99);
    into.p999.push(result.p999);
  }
  const line = (name: string, f: Figures, i: number) =>
    `${name} ${f.perSecond[i]!.toFixed(0)} req/s (${(100 * f.ratio[i]!).toFixed(0)}%), ` +
    `${f.cpuUsPerRequest[i]!.toFixed(0)} µs CPU/req, p50 ${f.p50[i]} ms, p99 ${f.p99[i]} ms, p99.9 ${f.p999[i]} ms`;

  console.log(
    `node ${process.version}, ${cpus().length} CPUs, load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(
        " ",
      )}; ${seconds}s per server per round after ${WARMUP_SECONDS}s of the same load unmeasured, ${runs} rounds, ${connections} connections, pipelining 1`,
  );
  const body = JSON.stringify({ context: { country: "de" }, unitId: "u1" });
  for (let r = 0; r < runs; r++) {
    const h = await serve(["serve-hello"]);
    try {
      await run(h, hello, `${h.info.url}/v1/experiments/bench/decisions`, { key: "hello", body });
      await run(h, helloGet, h.info.url);
    } finally {
      h.stop();
    }
    for (const v of variants) {
      const dataDir = mkdtempSync(join(tmpdir(), "banditry-bench-"));
      const b = await serve([
        "serve-banditry",
        dataDir,
        v.sync,
        v.thread,
        "checkpoints" in v ? v.checkpoints : "background",
      ]);
      try {
        await run(b, v.f, `${b.info.url}/v1/experiments/bench/decisions`, { key: b.info.key!, body });
        if (v === variants[0]) {
          await run(b, getExperiment, `${b.info.url}/v1/experiments/bench`, { key: b.info.key! });
        }
      } finally {
        b.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    console.log(
      `round ${r + 1}: ${line("hello-world (same request)", hello, r)}; ${line("hello-world GET /", helloGet, r)}; ` +
        `${line("GET experiment", getExperiment, r)}; ` +
        variants.map((v) => line(v.name, v.f, r)).join("; "),
    );
  }
  const m = (f: Figures) => ({
    rps: median(f.perSecond),
    ratio: median(f.ratio),
    cpu: median(f.cpuUsPerRequest),
    p50: median(f.p50),
    p99: median(f.p99),
    p999: median(f.p999),
  });
  const h = m(hello);
  const hg = m(helloGet);
  console.log(
    `median hello-world (same request): ${h.rps.toFixed(0)} req/s, ${h.cpu.toFixed(0)} µs CPU/req, p50 ${h.p50} ms, p99 ${h.p99} ms`,
  );
  console.log(
    `median hello-world GET /: ${hg.rps.toFixed(0)} req/s, ${hg.cpu.toFixed(0)} µs CPU/req, p50 ${hg.p50} ms, p99 ${hg.p99} ms`,
  );
  for (const [name, f] of [
    ["GET experiment", getExperiment] as const,
    ...variants.map((v) => [v.name, v.f] as const),
  ]) {
    const x = m(f);
    console.log(
      `median ${name}: ${x.rps.toFixed(0)} req/s = ${(100 * x.ratio).toFixed(0)}% of the same round's same-request hello-world ` +
        `(goal >= 60%; ${((100 * x.rps) / hg.rps).toFixed(0)}% of GET /'s median); ${x.cpu.toFixed(0)} µs CPU/req; p50 ${x.p50} ms; ` +
        `p99 ${x.p99} ms = ` +
        // autocannon reports whole milliseconds: a hello-world p99 under 1 ms reads 0
        (h.p99 > 0 ? `${(x.p99 / h.p99).toFixed(1)}× same-request hello-world's` : "n/a (hello-world's p99 < 1 ms)") +
        ` (goal <= 2×); p99.9 ${x.p999} ms`,
    );
  }
}

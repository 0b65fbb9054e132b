/**
 * The closed loop an application runs against banditry over HTTP: one decision per request
 * (POST /v1/experiments/{id}/decisions), and the outcomes sent back in batches through
 * POST /v1/rewards. Reports events/s (decisions + rewards) on SQLite; the goal is ≥ 10,000
 * events/s, five times Azure Personalizer's documented 2,000 events/s.
 *
 *   npx tsx bench/decide-reward-loop.ts [seconds=5] [runs=5] [connections=32] [rewardBatch=100]
 *   STORES=hello,normal,full,worker (default: a bare Fastify baseline, then banditry on SQLite with
 *   synchronous NORMAL (the default) and FULL, and NORMAL with the connection in a worker thread; add "postgres"
 *   for BANDITRY_BENCH_DATABASE_URL)
 *
 * The server is the real one (startServer: auth, metrics, durable group commit at the end of each event-loop turn, request
 * logging off) in its own process; this process is the load generator: `connections` loops,
 * each deciding, and every `rewardBatch` decisions posting their rewards. Figures are medians of
 * `runs` windows after a 2 s warm-up; server CPU per event comes from the server's own cpuUsage.
 * The baseline ("hello") sends the same decide requests to a bare Fastify that answers a constant
 * decision: what one request per decision can reach on this machine with this load generator.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchServer, fmt, jsonClient, median, spawnBenchServer } from "./helpers/bench-server.js";

const SECONDS = Number(process.argv[2] ?? 5);
const RUNS = Number(process.argv[3] ?? 5);
const CONNECTIONS = Number(process.argv[4] ?? 32);
const REWARD_BATCH = Number(process.argv[5] ?? 100);
const WARMUP_MS = 2000;
const STORES = (process.env.STORES ?? "hello,normal,full,worker").split(",");
const PG_URL = process.env.BANDITRY_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const COUNTRIES = ["de", "fr", "us", "uk", "es"];

interface Counters {
  decisions: number;
  rewards: number;
  errors: number;
  /** Decide latencies (ms) while recording. */
  latencies: number[];
  recording: boolean;
}

async function loop(
  client: ReturnType<typeof jsonClient>,
  c: number,
  counters: Counters,
  stop: { now: boolean },
): Promise<void> {
  const bodies = COUNTRIES.map((country) => JSON.stringify({ context: { country }, unitId: `user-${c}` }));
  let pending: string[] = [];
  for (let i = 0; !stop.now; i++) {
    const t = performance.now();
    const r = await client.post("/v1/experiments/bench/decisions", bodies[i % bodies.length]!);
    if (r.status !== 201) {
      counters.errors++;
      continue;
    }
    if (counters.recording) counters.latencies.push(performance.now() - t);
    counters.decisions++;
    pending.push((JSON.parse(r.text) as { eventId: string }).eventId);
    if (pending.length < REWARD_BATCH) continue;
    const rewards = pending.map((eventId, j) => ({ eventId, value: (i + j) % 4 === 0 ? 1 : 0 }));
    pending = [];
    const rr = await client.post("/v1/rewards", JSON.stringify({ rewards }));
    if (rr.status !== 200) {
      counters.errors++;
      continue;
    }
    const results = (JSON.parse(rr.text) as { results: { status: string }[] }).results;
    for (const x of results) {
      if (x.status === "applied") counters.rewards++;
      else counters.errors++;
    }
  }
}

interface Run {
  events: number;
  decisions: number;
  rewards: number;
  cpuUsPerEvent: number;
  p50: number;
  p99: number;
}

/** Windows of load on `client` (after the warm-up), printing and returning one Run per window. */
async function measure(label: string, server: BenchServer, counters: Counters): Promise<Run[]> {
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const runs: Run[] = [];
  for (let r = 0; r < RUNS; r++) {
    const d0 = counters.decisions;
    const w0 = counters.rewards;
    counters.latencies = [];
    counters.recording = true;
    const t0 = performance.now();
    const { cpuUs } = await server.measure(() => new Promise((res) => setTimeout(res, SECONDS * 1000)));
    const seconds = (performance.now() - t0) / 1000;
    counters.recording = false;
    const decisions = (counters.decisions - d0) / seconds;
    const rewards = (counters.rewards - w0) / seconds;
    const lat = counters.latencies.sort((a, b) => a - b);
    const run: Run = {
      events: decisions + rewards,
      decisions,
      rewards,
      cpuUsPerEvent: cpuUs / seconds / (decisions + rewards),
      p50: lat[Math.floor(lat.length * 0.5)] ?? Number.NaN,
      p99: lat[Math.floor(lat.length * 0.99)] ?? Number.NaN,
    };
    runs.push(run);
    console.log(
      `  ${label} run ${r + 1}: ${fmt(run.events)} events/s (${fmt(decisions)} decisions/s + ${fmt(rewards)} rewards/s), ` +
        `server CPU ${run.cpuUsPerEvent.toFixed(1)} µs/event, decide latency p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms`,
    );
  }
  return runs;
}

/** The same requests against a bare Fastify answering a constant decision: the HTTP ceiling here. */
async function baseline(label: string, server: BenchServer): Promise<Run[]> {
  const client = jsonClient(server.url, server.key, CONNECTIONS);
  const counters: Counters = { decisions: 0, rewards: 0, errors: 0, latencies: [], recording: false };
  const stop = { now: false };
  const body = JSON.stringify({ context: { country: "de" }, unitId: "user-1" });
  const loops = Array.from({ length: CONNECTIONS }, async () => {
    while (!stop.now) {
      const t = performance.now();
      const r = await client.post("/v1/experiments/bench/decisions", body);
      if (r.status !== 201) counters.errors++;
      JSON.parse(r.text);
      if (counters.recording) counters.latencies.push(performance.now() - t);
      counters.decisions++;
    }
  });
  const runs = await measure(label, server, counters);
  stop.now = true;
  await Promise.all(loops);
  client.close();
  return runs;
}

async function bench(label: string, server: BenchServer): Promise<Run[]> {
  const admin = jsonClient(server.url, server.key, 1);
  const created = await admin.post(
    "/v1/experiments",
    JSON.stringify({
      id: "bench",
      reward: "bernoulli",
      segmentKeys: ["country"],
      arms: Array.from({ length: 5 }, (_, i) => ({ id: `arm-${i}`, value: { multiplier: 1 + i / 10 } })),
    }),
  );
  if (created.status !== 201) throw new Error(`create experiment: ${created.status} ${created.text}`);
  const keyAnswer = await admin.post("/v1/keys", JSON.stringify({ name: "bench", scopes: ["decide"] }));
  const { secret } = JSON.parse(keyAnswer.text) as { secret: string };
  admin.close();

  const client = jsonClient(server.url, secret, CONNECTIONS);
  const counters: Counters = { decisions: 0, rewards: 0, errors: 0, latencies: [], recording: false };
  const stop = { now: false };
  const loops = Array.from({ length: CONNECTIONS }, (_, c) => loop(client, c, counters, stop));
  const runs = await measure(label, server, counters);
  stop.now = true;
  await Promise.all(loops);
  client.close();
  if (counters.errors > 0) throw new Error(`${label}: ${counters.errors} failed requests or reward items`);
  return runs;
}

console.log(
  `decide + reward loop over HTTP: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), ` +
    `load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
);
console.log(
  `${CONNECTIONS} connections, one decision per request (context with 5 countries, segmentKeys [country], 5 arms), ` +
    `rewards in batches of ${REWARD_BATCH}; ${RUNS} windows of ${SECONDS} s after ${WARMUP_MS / 1000} s warm-up`,
);
const summary: string[] = [];
for (const store of STORES) {
  const dataDir = mkdtempSync(join(tmpdir(), "banditry-bench-"));
  const label =
    store === "hello"
      ? "Fastify hello-world"
      : store === "postgres"
        ? "PostgreSQL"
        : store === "worker"
          ? "SQLite NORMAL worker"
          : `SQLite ${store.toUpperCase()}`;
  let server: BenchServer | undefined;
  try {
    if (store === "hello") {
      server = await spawnBenchServer({ hello: true });
      summarize(label, await baseline(label, server));
    } else if (store === "postgres") {
      const { fresh, drop } = await freshPostgres();
      try {
        server = await spawnBenchServer({ databaseUrl: fresh });
        summarize(label, await bench(label, server));
        await server.stop();
        server = undefined;
      } finally {
        await drop();
      }
    } else {
      const sqliteSynchronous = store === "full" ? "FULL" : "NORMAL";
      server = await spawnBenchServer({ dataDir, sqliteSynchronous, sqliteWorker: store === "worker" });
      summarize(label, await bench(label, server));
    }
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
console.log("");
for (const line of summary) console.log(line);

function summarize(label: string, runs: Run[]): void {
  const m = (f: (r: Run) => number) => median(runs.map(f));
  const events = m((r) => r.events);
  summary.push(
    `median ${label}: ${fmt(events)} events/s (${fmt(m((r) => r.decisions))} decisions/s + ${fmt(m((r) => r.rewards))} rewards/s), ` +
      `server CPU ${m((r) => r.cpuUsPerEvent).toFixed(1)} µs/event, decide p50 ${m((r) => r.p50).toFixed(1)} ms, ` +
      `p99 ${m((r) => r.p99).toFixed(1)} ms` +
      (label.startsWith("Fastify")
        ? " (requests, no rewards)"
        : `; goal 10,000 events/s: ${events >= 10_000 ? "met" : "MISSED"}`),
  );
}

/** A fresh database on the benchmark's PostgreSQL server, dropped afterwards. */
async function freshPostgres(): Promise<{ fresh: string; drop: () => Promise<void> }> {
  const pg = (await import("pg")).default;
  const name = `banditry_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    fresh: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * Reward ingestion over HTTP: rewards/s through POST /v1/rewards in batches, on SQLite and
 * PostgreSQL side by side. Goals: ≥ 100,000 rewards/s on SQLite, ≥ 30,000 on PostgreSQL.
 *
 *   npx tsx bench/reward-ingestion.ts [perRun=50000] [runs=3] [batch=1000] [connections=4]
 *   STORES=sqlite,postgres (PostgreSQL at BANDITRY_BENCH_DATABASE_URL, default the local server;
 *   "sqlite-full": SQLite synchronous FULL; "sqlite-worker": NORMAL with the connection in a worker thread; "sqlite-inline-checkpoints": NORMAL with SQLite's own checkpoints inside the COMMIT;
 *   PGLOG=1 logs every statement's duration in the PostgreSQL server log, to see which one costs)
 *
 * The decisions are pre-created through the store (EventStore.commit, from this process), so the
 * server does not hold them in memory: every batch is looked up in the store first, as for rewards
 * that arrive after a restart or on another instance (the conservative case). The server is the
 * real one (startServer, SQLite synchronous NORMAL: the default) in its own process; this process
 * sends pre-serialised batches of `batch` rewards on `connections` keep-alive connections. Each
 * run rewards `perRun` fresh decisions; figures are medians over runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Decision } from "../src/domain/decision.js";
import { createStores, type StoresOptions } from "../src/stores/create-stores.js";
import { type BenchServer, fmt, jsonClient, median, spawnBenchServer } from "./helpers/bench-server.js";

const PER_RUN = Number(process.argv[2] ?? 50_000);
const RUNS = Number(process.argv[3] ?? 3);
const BATCH = Number(process.argv[4] ?? 1000);
const CONNECTIONS = Number(process.argv[5] ?? 4);
const STORES = (process.env.STORES ?? "sqlite,postgres").split(",");
const PG_URL = process.env.BANDITRY_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const EXPERIMENT = "ingest";
const ARMS = 5;
const COUNTRIES = ["de", "fr", "us", "uk", "es"];

interface Figures {
  perSecond: number;
  cpuUsPerReward: number;
}

/** Decisions written straight to the store, in commits of 5000. */
async function precreate(options: StoresOptions, count: number): Promise<void> {
  const stores = await createStores(options);
  try {
    const now = Date.now();
    for (let start = 0; start < count; start += 5000) {
      const decisions: Decision[] = [];
      for (let i = start; i < Math.min(count, start + 5000); i++) {
        const country = COUNTRIES[i % COUNTRIES.length]!;
        decisions.push({
          eventId: `ev-${i.toString().padStart(9, "0")}`,
          experimentId: EXPERIMENT,
          segment: `country=${country}`,
          context: { country },
          unitId: null,
          armId: `arm-${i % ARMS}`,
          ranking: null,
          propensity: null,
          group: "bandit",
          seed: i,
          activated: true,
          createdAt: now,
        });
      }
      await stores.eventStore.commit({ decisions, rewards: [], activations: [], now, rewardWaitMs: {} });
    }
  } finally {
    await stores.close();
  }
}

async function bench(label: string, server: BenchServer, storesOptions: StoresOptions): Promise<Figures[]> {
  const admin = jsonClient(server.url, server.key, 1);
  const created = await admin.post(
    "/v1/experiments",
    JSON.stringify({
      id: EXPERIMENT,
      reward: "bernoulli",
      segmentKeys: ["country"],
      arms: Array.from({ length: ARMS }, (_, i) => ({ id: `arm-${i}` })),
    }),
  );
  if (created.status !== 201) throw new Error(`create experiment: ${created.status} ${created.text}`);
  admin.close();
  const t = performance.now();
  await precreate(storesOptions, PER_RUN * RUNS);
  console.log(
    `  ${label}: ${fmt(PER_RUN * RUNS)} decisions pre-created in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const client = jsonClient(server.url, server.key, CONNECTIONS);
  const figures: Figures[] = [];
  for (let r = 0; r < RUNS; r++) {
    const bodies: string[] = [];
    for (let start = r * PER_RUN; start < (r + 1) * PER_RUN; start += BATCH) {
      const rewards = [];
      for (let i = start; i < Math.min((r + 1) * PER_RUN, start + BATCH); i++) {
        rewards.push({ eventId: `ev-${i.toString().padStart(9, "0")}`, value: i % 3 === 0 ? 1 : 0 });
      }
      bodies.push(JSON.stringify({ rewards }));
    }
    let next = 0;
    let applied = 0;
    const failures: string[] = [];
    const t0 = performance.now();
    const { cpuUs } = await server.measure(() =>
      Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next < bodies.length) {
            const res = await client.post("/v1/rewards", bodies[next++]!);
            if (res.status !== 200) {
              failures.push(`${res.status} ${res.text.slice(0, 200)}`);
              continue;
            }
            for (const x of (JSON.parse(res.text) as { results: { status: string }[] }).results) {
              if (x.status === "applied") applied++;
              else failures.push(x.status);
            }
          }
        }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    if (failures.length > 0) throw new Error(`${label}: ${failures.length} failures, e.g. ${failures[0]}`);
    const f = { perSecond: applied / seconds, cpuUsPerReward: cpuUs / applied };
    figures.push(f);
    console.log(
      `  ${label} run ${r + 1}: ${fmt(f.perSecond)} rewards/s (${fmt(applied)} in ${seconds.toFixed(2)} s), ` +
        `server CPU ${f.cpuUsPerReward.toFixed(1)} µs/reward`,
    );
  }
  client.close();
  return figures;
}

console.log(
  `reward ingestion over HTTP: node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), ` +
    `load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")}`,
);
console.log(
  `POST /v1/rewards, batches of ${fmt(BATCH)}, ${CONNECTIONS} connections, ${RUNS} runs of ${fmt(PER_RUN)} rewards; ` +
    `decisions pre-created in the store (looked up per batch), ${ARMS} arms, 5 segments`,
);
const results: [string, Figures[], number][] = [];
for (const store of STORES) {
  if (store === "postgres") {
    const name = `banditry_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await admin.connect();
    } catch (e) {
      console.log(`  PostgreSQL skipped: unreachable at ${PG_URL} (${(e as Error).message})`);
      continue;
    }
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    if (process.env.PGLOG) await admin.query(`alter database ${name} set log_min_duration_statement = 0`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    let server: BenchServer | undefined;
    try {
      server = await spawnBenchServer({ databaseUrl: url.toString() });
      results.push([
        "PostgreSQL",
        await bench("PostgreSQL", server, { kind: "postgres", url: url.toString(), poolSize: 2 }),
        30_000,
      ]);
    } finally {
      await server?.stop();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), "banditry-bench-"));
    const sqliteWorker = store === "sqlite-worker";
    const sqliteSynchronous = store === "sqlite-full" ? "FULL" : "NORMAL";
    const sqliteBackgroundCheckpoints = store !== "sqlite-inline-checkpoints";
    const label = `SQLite ${sqliteSynchronous}${sqliteWorker ? " worker" : ""}${sqliteBackgroundCheckpoints ? "" : " inline ckpt"}`;
    let server: BenchServer | undefined;
    try {
      server = await spawnBenchServer({ dataDir, sqliteSynchronous, sqliteWorker, sqliteBackgroundCheckpoints });
      results.push([label, await bench(label, server, { kind: "sqlite", dataDir, synchronous: "NORMAL" }), 100_000]);
    } finally {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}
console.log("");
for (const [label, figures, goal] of results) {
  const rate = median(figures.map((f) => f.perSecond));
  console.log(
    `median ${label.padEnd(11)} ${fmt(rate).padStart(8)} rewards/s, server CPU ` +
      `${median(figures.map((f) => f.cpuUsPerReward)).toFixed(1)} µs/reward; goal ${fmt(goal)}/s: ${rate >= goal ? "met" : "MISSED"}`,
  );
}

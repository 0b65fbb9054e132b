/**
 * Group-commit throughput of the stores: decisions/s and rewards/s through EventStore.commit
 * with batches of BATCH, median over RUNS batches, per store (SQLite synchronous FULL and
 * NORMAL, PostgreSQL when reachable at BANDITRY_BENCH_DATABASE_URL or the local default).
 *   npx tsx bench/store-commit.ts          (BATCH=1000 RUNS=15 STORES=sqlite-full,sqlite-normal,postgres)
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import pg from "pg";
import type { Decision } from "../src/domain/decision.js";
import { createStores, type StoresOptions } from "../src/stores/create-stores.js";
import type { RewardOp, Stores } from "../src/stores/stores.js";
import { benchExperiment } from "./helpers/bench-experiment.js";

const BATCH = Number(process.env.BATCH ?? 1000);
const RUNS = Number(process.env.RUNS ?? 15);
const ARMS = 10;
const SEGMENTS = 5;
const ADMIN_URL = process.env.BANDITRY_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function decision(i: number, experimentId: string): Decision {
  return {
    eventId: `ev-${i.toString().padStart(9, "0")}`,
    experimentId,
    segment: `seg-${i % SEGMENTS}`,
    context: { country: "de", device: i % 2 === 0 ? "mobile" : "desktop" },
    unitId: `user-${i}`,
    armId: `arm-${i % ARMS}`,
    ranking: null,
    propensity: 0.1,
    group: i % 10 === 0 ? "control" : "bandit",
    seed: i,
    activated: true,
    createdAt: 1_700_000_000_000 + i,
  };
}

function reward(d: Decision): RewardOp {
  const value = d.seed % 3 === 0 ? 1 : 0;
  return {
    eventId: d.eventId,
    experimentId: d.experimentId,
    segment: d.segment,
    armId: d.armId,
    group: d.group,
    value,
    isDefault: false,
    createdAt: d.createdAt + 1000,
    aggregation: "earliest",
    evidence: { n: 1, s1: value, s2: value },
  };
}

async function run(label: string, stores: Stores): Promise<void> {
  await stores.migrate();
  const experimentId = "bench";
  await stores.experimentStore.create(
    benchExperiment(experimentId, ARMS, {
      segmentKeys: ["country"],
      control: { share: 0.1, policy: "uniform" },
      rewardWaitSeconds: 3600,
      defaultReward: 0,
    }),
  );
  const decisionTimes: number[] = [];
  const rewardTimes: number[] = [];
  let next = 0;
  for (let r = 0; r < RUNS; r++) {
    const decisions = Array.from({ length: BATCH }, () => decision(next++, experimentId));
    let t = performance.now();
    await stores.eventStore.commit({
      decisions,
      rewards: [],
      activations: [],
      now: Date.now(),
      rewardWaitMs: { [experimentId]: 3_600_000 },
    });
    decisionTimes.push(performance.now() - t);
    t = performance.now();
    const result = await stores.eventStore.commit({
      decisions: [],
      rewards: decisions.map(reward),
      activations: [],
      now: Date.now(),
      rewardWaitMs: {},
    });
    rewardTimes.push(performance.now() - t);
    if (result.rewardOutcomes.some((o) => o !== "applied")) throw new Error("bench: a reward was not applied");
  }
  const d = median(decisionTimes);
  const w = median(rewardTimes);
  console.log(
    `${label.padEnd(22)} decisions: ${Math.round((BATCH / d) * 1000)
      .toString()
      .padStart(7)}/s (${d.toFixed(1)} ms/batch)   rewards: ${Math.round((BATCH / w) * 1000)
      .toString()
      .padStart(7)}/s (${w.toFixed(1)} ms/batch)`,
  );
  await stores.close();
}

/** How fast this machine runs plain SQLite right now: the floor the stores build on. */
function calibrateSqlite(): void {
  const db = new SqliteDatabase(":memory:");
  db.exec("create table t (k text primary key, v integer)");
  const insert = db.prepare("insert into t values (?, ?)");
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    db.transaction(() => {
      for (let i = 0; i < 10_000; i++) insert.run(`key-${r}-${i}`, i);
    })();
    times.push(performance.now() - t);
  }
  db.close();
  console.log(
    `calibration: 10k single-row prepared inserts into an in-memory SQLite table: ${median(times).toFixed(1)} ms`,
  );
}

async function sqlite(synchronous: "FULL" | "NORMAL"): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "banditry-bench-"));
  try {
    await run(`sqlite (${synchronous})`, await createStores({ kind: "sqlite", dataDir: dir, synchronous }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`postgres               skipped: unreachable at ${ADMIN_URL} (${(error as Error).message})`);
    return;
  }
  const name = `banditry_bench_${process.pid}`;
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const options: StoresOptions = { kind: "postgres", url: url.toString() };
    const plan = await admin.query("explain analyze select count(*) from generate_series(1, 1000000)");
    const ms = /Execution Time: ([\d.]+)/.exec(plan.rows.map((r) => r["QUERY PLAN"]).join("\n"))?.[1];
    console.log(`calibration: postgres count(*) over generate_series(1, 1e6) took ${ms} ms on the server`);
    await run("postgres", await createStores(options));
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

const STORES = (process.env.STORES ?? "sqlite-full,sqlite-normal,postgres").split(",");
console.log(`EventStore.commit: batches of ${BATCH}, median of ${RUNS} batches; ${ARMS} arms, ${SEGMENTS} segments`);
console.log("decisions: new, activated, with a reward wait; rewards: earliest, one per decision, all applied");
console.log(
  `machine: ${cpus().length} cpus, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
calibrateSqlite();
if (STORES.includes("sqlite-full")) await sqlite("FULL");
if (STORES.includes("sqlite-normal")) await sqlite("NORMAL");
if (STORES.includes("postgres")) await postgres();

/**
 * Engine-level cost of a linear decision: 10 actions × 20 features a pair (15 context features +
 * 5 per action), a model trained on `--train` events.
 *   1. the pure rank: LinearThompson.rank (fresh draw + Monte Carlo probabilities) against
 *      rankFromPool (the posterior draw pool: exact probabilities), and what drawing a pool costs;
 *   2. the decision itself (input checks, the rank, the exploration mix:
 *      src/engine/linear/linear-choice.ts), µs per call, for several draws and with the pool;
 *   3. engine.decide end to end on SQLite (arms, logging, group commit), `--concurrency` at once,
 *      µs of wall time per decision, with linear.policy "pool" and "exact".
 * The variants are timed interleaved in the same run (the machine is shared): medians.
 * Run: npx tsx bench/linear-decide.ts [--train=2000] [--dimension=256] [--concurrency=50] [--decisions=2000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, DEFAULT_ENGINE_OPTIONS } from "../src/engine/engine.js";
import { linearChoice } from "../src/engine/linear/linear-choice.js";
import { readLinearInput } from "../src/engine/linear/read-linear-input.js";
import { LinearThompson } from "../src/stats/linear/linear-thompson.js";
import { createRng, type Rng } from "../src/stats/rng.js";
import { createStores } from "../src/stores/create-stores.js";
import { flag } from "./helpers/flag.js";

const train = flag("train", 2000);
const dimension = flag("dimension", 256);
const concurrency = flag("concurrency", 50);
const decisions = flag("decisions", 2000);
const windowMs = flag("ms", 300);
const runs = flag("runs", 5);

function context(rng: Rng): unknown {
  const f: Record<string, string | number> = {};
  for (let i = 0; i < 10; i++) f[`c${i}`] = `v${rng.nextInt(4)}`;
  for (let i = 0; i < 5; i++) f[`x${i}`] = Math.round(rng.next() * 100) / 100;
  return [{ user: f }];
}
const actions = Array.from({ length: 10 }, (_, a) => ({
  id: `a${a}`,
  features: { cat: `k${a % 3}`, brand: `b${a % 4}`, price: a / 10 + 0.05, fresh: a % 2 === 0, score: (a * 7) % 10 },
}));

/** Median µs per call over `runs` windows of `windowMs`. */
function timeIt(fn: () => void): number {
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < windowMs) {
      fn();
      n++;
    }
    out.push(((performance.now() - start) * 1000) / n);
  }
  return out.sort((a, b) => a - b)[Math.floor(out.length / 2)]!;
}

console.log("bench/linear-decide: engine-level cost of a linear decision");
console.log(
  `  setup: d = ${dimension}, 10 actions, 15 context + 5 action features a pair, model trained on ${train} events; ` +
    `median of ${runs} windows of ${windowMs} ms; node ${process.version}`,
);
const rng = createRng(1);
const model = new LinearThompson({ dimension });
for (let i = 0; i < train; i++) model.update(context(rng), actions[rng.nextInt(10)]!, rng.next() < 0.3 ? 1 : 0);
const ctx = context(rng);
const tinyPool = model.drawPool(1, 1);

/** Median µs per call of each variant, their windows interleaved (the load changes under us). */
function timeEach(fns: Record<string, () => void>): Record<string, number> {
  const times: Record<string, number[]> = {};
  for (let r = 0; r < runs; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      let n = 0;
      const start = performance.now();
      while (performance.now() - start < windowMs) {
        fn();
        n++;
      }
      times[name] = [...(times[name] ?? []), ((performance.now() - start) * 1000) / n];
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([k, v]) => [k, v.sort((a, b) => a - b)[Math.floor(v.length / 2)]!]),
  );
}
const pool = model.drawPool(1);
const rankTimes = timeEach({
  exact: () => model.rank(ctx, actions, rng, { draws: DEFAULT_ENGINE_OPTIONS.linearDraws }),
  pool: () => model.rankFromPool(pool, ctx, actions, rng),
  vectorsOnly: () => model.rankFromPool(tinyPool, ctx, actions, rng),
});
console.log();
console.log(
  `  pure rank µs: exact (choose + ${DEFAULT_ENGINE_OPTIONS.linearDraws} Monte Carlo draws) ${rankTimes.exact!.toFixed(0)}` +
    `; pool of ${pool.size} ${rankTimes.pool!.toFixed(0)} (of which ${rankTimes.vectorsOnly!.toFixed(0)} building the` +
    ` feature vectors: a pool of 1); drawing the pool ${timeIt(() => model.drawPool(2)).toFixed(0)} µs`,
);
console.log();
console.log("  draws   linearChoice µs (online, ε = 0.1)   apprentice (choose only) µs");
for (const draws of [0, 100, DEFAULT_ENGINE_OPTIONS.linearDraws, 500, 1000]) {
  const settings = {
    group: "bandit" as const,
    control: null,
    explorationShare: 0.1,
    learningMode: "online" as const,
    draws,
    inactive: new Set<string>(),
    ...(draws === 0 ? { pool } : {}),
  };
  const online = timeIt(() => {
    const input = readLinearInput({ experimentId: "x", actions, contextFeatures: ctx });
    linearChoice(model, input, settings, rng);
  });
  const apprentice = timeIt(() => {
    const input = readLinearInput({ experimentId: "x", actions, contextFeatures: ctx });
    linearChoice(model, input, { ...settings, learningMode: "apprentice" }, rng);
  });
  const mark = draws === 0 ? " (pool, engine default)" : "";
  console.log(
    `  ${(draws === 0 ? "pool" : String(draws)).padStart(5)}   ${online.toFixed(0).padStart(10)}${mark.padEnd(26)}${apprentice.toFixed(0).padStart(10)}`,
  );
}

console.log();
const e2e: Record<string, number[]> = { pool: [], exact: [] };
for (let r = 0; r < Math.max(1, Math.min(runs, 3)); r++) {
  for (const policy of ["pool", "exact"] as const) e2e[policy]!.push(await endToEnd(policy));
}
for (const [policy, xs] of Object.entries(e2e)) {
  const us = xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `  engine.decide end to end, linear.policy "${policy}" (SQLite, synchronous NORMAL, ${concurrency} at once, ` +
      `${decisions} decisions, median of ${xs.length}): ${us.toFixed(0)} µs wall time per decision (${Math.round(1e6 / us)} decisions/s)`,
  );
}

/** µs of wall time per engine.decide on a fresh SQLite engine trained through the engine. */
async function endToEnd(policy: "pool" | "exact"): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "banditry-bench-linear-"));
  try {
    const stores = await createStores({ kind: "sqlite", dataDir, synchronous: "NORMAL" });
    await stores.migrate();
    const engine = createEngine({
      stores,
      options: { seed: 1, refreshIntervalMs: 0, defaultRewardIntervalMs: 0, linear: { policy } },
    });
    await engine.start();
    await engine.createExperiment({
      id: "lin",
      reward: "bernoulli",
      context: "linear",
      arms: [],
      linear: { dimension },
    });
    // train through the engine: decisions, rewards, the learner tails the log
    for (let i = 0; i < train; i += concurrency) {
      const ds = await Promise.all(
        Array.from({ length: concurrency }, () =>
          engine.decide({ experimentId: "lin", actions, contextFeatures: context(rng) }),
        ),
      );
      await engine.rewardBatch(ds.map((d) => ({ eventId: d.eventId, value: rng.next() < 0.3 ? 1 : 0 })));
    }
    const start = performance.now();
    for (let i = 0; i < decisions; i += concurrency) {
      await Promise.all(
        Array.from({ length: concurrency }, () =>
          engine.decide({ experimentId: "lin", actions, contextFeatures: ctx }),
        ),
      );
    }
    const perDecision = ((performance.now() - start) * 1000) / decisions;
    await engine.close();
    await stores.close();
    return perDecision;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

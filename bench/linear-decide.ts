/**
 * Engine-level cost of a linear decision: 10 actions × 20 features a pair (15 context features +
 * 5 per action), a model trained on `--train` events.
 *   1. the decision itself (input checks, LinearThompson.rank with the engine's draws, the
 *      exploration mix: src/engine/linear/linear-choice.ts), µs per call, for several draws;
 *   2. engine.decide end to end on SQLite (arms, logging, group commit), `--concurrency` at once,
 *      µs of wall time per decision.
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
console.log();
console.log("  draws   linearChoice µs (online, ε = 0.1)   apprentice (choose only) µs");
for (const draws of [100, DEFAULT_ENGINE_OPTIONS.linearDraws, 500, 1000]) {
  const settings = {
    group: "bandit" as const,
    control: null,
    explorationShare: 0.1,
    learningMode: "online" as const,
    draws,
    inactive: new Set<string>(),
  };
  const online = timeIt(() => {
    const input = readLinearInput({ experimentId: "x", actions, contextFeatures: ctx });
    linearChoice(model, input, settings, rng);
  });
  const apprentice = timeIt(() => {
    const input = readLinearInput({ experimentId: "x", actions, contextFeatures: ctx });
    linearChoice(model, input, { ...settings, learningMode: "apprentice" }, rng);
  });
  const mark = draws === DEFAULT_ENGINE_OPTIONS.linearDraws ? " (engine default)" : "";
  console.log(
    `  ${String(draws).padStart(5)}   ${online.toFixed(0).padStart(10)}${mark.padEnd(26)}${apprentice.toFixed(0).padStart(10)}`,
  );
}

const dataDir = mkdtempSync(join(tmpdir(), "banditry-bench-linear-"));
try {
  const stores = await createStores({ kind: "sqlite", dataDir, synchronous: "NORMAL" });
  await stores.migrate();
  const engine = createEngine({ stores, options: { seed: 1, refreshIntervalMs: 0, defaultRewardIntervalMs: 0 } });
  await engine.start();
  await engine.createExperiment({ id: "lin", reward: "bernoulli", context: "linear", arms: [], linear: { dimension } });
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
      Array.from({ length: concurrency }, () => engine.decide({ experimentId: "lin", actions, contextFeatures: ctx })),
    );
  }
  const perDecision = ((performance.now() - start) * 1000) / decisions;
  console.log();
  console.log(
    `  engine.decide end to end (SQLite, synchronous NORMAL, ${concurrency} at once, ${decisions} decisions): ` +
      `${perDecision.toFixed(0)} µs wall time per decision (${Math.round(1e6 / perDecision)} decisions/s)`,
  );
  const model = await engine.exportModel("lin");
  console.log(`  (the engine's model learned ${model.learnedRewards} rewards from the log)`);
  await engine.close();
  await stores.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

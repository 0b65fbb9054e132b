/**
 * In-process decision speed: one chooseArm at a time, Thompson sampling on Beta posteriors
 * that carry some evidence (what a running experiment looks like), no I/O.
 *
 *   1. K = 10 arms, chooseArm with a scratch buffer (the hot path; goal ≥ 800k decisions/s)
 *   2. K = 100 arms
 *   3. K = 10, decision + propensities (selectionProbabilities, Monte Carlo, 1000 and 100 draws)
 *   4. K = 10, a top-3 ranking (rankTopK), with and without a scratch buffer
 *
 *   npx tsx bench/select.ts [--runs=7] [--ms=300] [--seed=1]
 *
 * Each figure is the median of `runs` timed windows of `ms` milliseconds, after one warm-up window.
 */

import { loadavg } from "node:os";
import { ThompsonPolicy } from "../src/stats/policies/thompson.js";
import { BetaBernoulliPosterior } from "../src/stats/posteriors/beta-bernoulli.js";
import { chooseArm } from "../src/stats/ranking/choose-arm.js";
import { rankTopK } from "../src/stats/ranking/rank-top-k.js";
import { selectionProbabilities } from "../src/stats/ranking/selection-probabilities.js";
import { createRng, type Rng } from "../src/stats/rng.js";
import { flag } from "./helpers/flag.js";

const runs = flag("runs", 7);
const windowMs = flag("ms", 300);
const seed = flag("seed", 1);

/** K arms with click-through rates in [0.01, 0.2] and 100 to 10,000 observations each. */
function arms(k: number, rng: Rng): BetaBernoulliPosterior[] {
  return Array.from({ length: k }, () => {
    const ctr = 0.01 + 0.19 * rng.next();
    const n = Math.round(100 * 100 ** rng.next());
    const successes = Math.round(n * ctr);
    return new BetaBernoulliPosterior({ alpha: 1, beta: 1 }, successes, n - successes);
  });
}

let sink = 0; // keeps the work observable so nothing is optimised away

/** Operations per second: median over runs of a timed window; `op` runs `batch` times between clock reads. */
function measure(op: () => number, batch: number): { median: number; min: number; max: number } {
  const rates: number[] = [];
  for (let r = -1; r < runs; r++) {
    let count = 0;
    const start = performance.now();
    let now = start;
    while (now - start < windowMs) {
      for (let i = 0; i < batch; i++) sink += op();
      count += batch;
      now = performance.now();
    }
    if (r >= 0) rates.push((count * 1000) / (now - start));
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(rates.length / 2)]!, min: rates[0]!, max: rates[rates.length - 1]! };
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

const rng = createRng(seed);
const policy = new ThompsonPolicy();
const arms10 = arms(10, rng);
const arms100 = arms(100, rng);
const scratch = new Float64Array(100);

console.log(`bench/select: Thompson sampling on Beta posteriors, in process, one decision at a time`);
console.log(
  `node ${process.version}, ${runs} runs of ${windowMs} ms (+1 warm-up), seed ${seed}; median [min–max];` +
    ` load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
);
console.log(
  `arms: CTR uniform in [0.01, 0.2], 100..10,000 observations each (log-uniform), prior Beta(1, 1);` +
    ` e.g. K=10 posteriors ${arms10
      .slice(0, 3)
      .map((a) => `Beta(${a.alpha}, ${a.beta})`)
      .join(", ")}, …`,
);
console.log("");

const rows: [string, () => number, number, number][] = [
  // the sampler alone, so the policy and argmax overhead can be read off the next row
  [
    "baseline: 10 Beta draws, no policy",
    () => {
      let s = 0;
      for (let i = 0; i < 10; i++) s += arms10[i]!.sample(rng);
      return s;
    },
    1000,
    10,
  ],
  ["chooseArm K=10 (scratch buffer)", () => chooseArm(policy, arms10, rng, scratch), 1000, 10],
  ["chooseArm K=100 (scratch buffer)", () => chooseArm(policy, arms100, rng, scratch), 100, 100],
  [
    "chooseArm + propensities K=10, 1000 draws",
    () => {
      const i = chooseArm(policy, arms10, rng, scratch);
      return selectionProbabilities(policy, arms10, rng, { draws: 1000, scratch }).probabilities[i]!;
    },
    1,
    10 * 1001,
  ],
  [
    "chooseArm + propensities K=10, 100 draws",
    () => {
      const i = chooseArm(policy, arms10, rng, scratch);
      return selectionProbabilities(policy, arms10, rng, { draws: 100, scratch }).probabilities[i]!;
    },
    10,
    10 * 101,
  ],
  ["rankTopK k=3 of K=10 (scratch buffer)", () => rankTopK(policy, arms10, 3, rng, scratch)[0]!, 1000, 10],
  ["rankTopK k=3 of K=10 (no scratch)", () => rankTopK(policy, arms10, 3, rng)[0]!, 1000, 10],
];

for (const [name, op, batch, samplesPerOp] of rows) {
  const r = measure(op, batch);
  const nsPerSample = 1e9 / (r.median * samplesPerOp);
  console.log(
    `${name.padEnd(44)} ${fmt(r.median).padStart(11)} /s  [${fmt(r.min)}–${fmt(r.max)}]  ` +
      `(${nsPerSample.toFixed(1)} ns per Beta draw)`,
  );
}
console.log(`\nchecksum ${sink.toFixed(3)}`);

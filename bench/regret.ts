/**
 * Regret of Thompson sampling on the Chapelle & Li (2011) problem: K = 10 Bernoulli arms, the
 * best at 0.5 and nine at 0.4, per-step updates. Reports the mean regret at T = 1e5 and the
 * regret gained from 1e5 to 1e6 by the same runs, against the Lai–Robbins rate C·ln 10.
 *
 *   npx tsx bench/regret.ts [--reps=20] [--horizon=1000000] [--seed=1] [--workers=N]
 */

import { logCheckpoints } from "../src/stats/simulation/checkpoints.js";
import { gapMeans } from "../src/stats/simulation/environment-spec.js";
import { laiRobbins } from "../src/stats/simulation/lai-robbins.js";
import { summarize } from "../src/stats/simulation/summarize.js";
import { flag } from "./helpers/flag.js";
import { repCheckpointRegret, simulateParallel, workerCount } from "./parallel-simulate.js";

const K = 10;
const BEST = 0.5;
const GAP = 0.1;
const reps = flag("reps", 20);
const horizon = flag("horizon", 1_000_000);
const seed = flag("seed", 1);
const T1 = Math.min(100_000, horizon);
const means = gapMeans(K, BEST, GAP);
const workers = workerCount();

console.log("bench/regret — Thompson sampling, Beta(1,1) priors, per-step updates");
console.log(`  K = ${K} Bernoulli arms: best ${BEST}, others ${BEST - GAP} (Chapelle & Li 2011)`);
console.log(
  `  T = ${horizon.toLocaleString("en-US")} (checkpoint at ${T1.toLocaleString("en-US")}), ${reps} reps, seed ${seed}, ${workers} worker threads`,
);

const started = performance.now();
const [run] = await simulateParallel(
  [
    {
      environment: { reward: "bernoulli", means },
      policy: "thompson",
      horizon,
      reps,
      seed,
      checkpoints: [...new Set([...logCheckpoints(horizon, 2), T1])],
    },
  ],
  workers,
);
const wall = (performance.now() - started) / 1000;
const result = run!.result;
const at = (t: number) => result.checkpoints.find((c) => c.t === t)!;
const fmt = (x: number) => x.toFixed(1);

const { C } = laiRobbins(means, horizon);
const cp1 = at(T1);
console.log("");
console.log(`Lai–Robbins C = ${C.toFixed(3)}   C·ln 1e5 = ${fmt(C * Math.log(1e5))}   C·ln 10 = ${fmt(C * Math.LN10)}`);
console.log("");
console.log(`${"t".padStart(10)}  ${"regret".padStart(8)}  ${"± se".padStart(6)}  ${"C·ln t".padStart(8)}`);
for (const c of result.checkpoints) {
  console.log(
    `${c.t.toLocaleString("en-US").padStart(10)}  ${fmt(c.regretMean).padStart(8)}  ${fmt(c.se).padStart(6)}  ${fmt(C * Math.log(c.t)).padStart(8)}`,
  );
}
console.log("");
console.log(
  `regret at T = 1e5: ${fmt(cp1.regretMean)} ± ${fmt(cp1.se)} (se over ${reps} reps)   target <= 270; vectorised numpy TS: 247 ± 3`,
);
if (horizon >= 1_000_000) {
  // the gain of each rep over the decade, then its mean: the same runs continued, so paired
  const i1 = result.checkpoints.findIndex((c) => c.t === T1);
  const i2 = result.checkpoints.findIndex((c) => c.t === 1_000_000);
  const gain = summarize(
    result.repRegrets.map((_, rep) => repCheckpointRegret(run!, rep, i2) - repCheckpointRegret(run!, rep, i1)),
  );
  console.log(
    `regret gained 1e5 -> 1e6: ${fmt(gain.mean)} ± ${fmt(gain.se)}   vs 1.15·C·ln 10 = ${fmt(1.15 * C * Math.LN10)} (target <= 118), C·ln 10 = ${fmt(C * Math.LN10)}`,
  );
}
console.log(`best-arm share over T: ${(100 * result.bestArmShare).toFixed(2)}%`);
console.log(
  `wall ${wall.toFixed(1)} s (${((wall * 1e9 * workers) / (horizon * reps)).toFixed(0)} ns per step per worker)`,
);

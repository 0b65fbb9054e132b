/**
 * A drifting world: Thompson sampling with decayed posteriors against stationary Thompson
 * sampling. K = 10 Bernoulli arms start at best 0.5, others 0.4; three worlds:
 *   change — the means are reversed (the best arm becomes a worst one) at T/4, T/2 and 3T/4;
 *   walk   — every step each mean takes a N(0, σ²) step, σ = 5e-4 (about ±0.05 per 10,000 steps), clamped to [0, 1];
 *   both   — the two together.
 * Regret is against the best arm of each step. Both policies face the same worlds (same seed).
 *
 *   npx tsx bench/drift.ts [--horizon=100000] [--reps=20] [--half-life=5000] [--seed=1] [--workers=N]
 */
import type { DriftSpec } from "../src/stats/simulation/environment-spec.js";
import { gapMeans } from "../src/stats/simulation/environment-spec.js";
import { flag } from "./helpers/flag.js";
import { simulateParallel, workerCount } from "./parallel-simulate.js";

const horizon = flag("horizon", 100_000);
const reps = flag("reps", 20);
const seed = flag("seed", 1);
const SIGMA = 5e-4;
/**
 * The half-life we recommend for this world (a sweep of 3000–12000 at T = 1e5 put the optimum at
 * 4000–6000 for every world); the table shows its neighbours ×½ and ×2.
 */
const HALF_LIFE = flag("half-life", 5000);
const SWEEP = [...new Set([HALF_LIFE / 2, HALF_LIFE, HALF_LIFE * 2])].sort((a, b) => a - b);

const change: DriftSpec = { kind: "change", at: [horizon / 4, horizon / 2, (3 * horizon) / 4].map(Math.round) };
const walk: DriftSpec = { kind: "walk", sigma: SIGMA };
const WORLDS: { name: string; drift: DriftSpec[] }[] = [
  { name: "change", drift: [change] },
  { name: "walk", drift: [walk] },
  { name: "both", drift: [change, walk] },
];

const workers = workerCount();
console.log("bench/drift — decayed vs stationary Thompson sampling on drifting Bernoulli arms");
console.log(
  `  K = 10, start: best 0.5, others 0.4; T = ${horizon.toLocaleString("en-US")}, ${reps} reps, seed ${seed}, ${workers} worker threads`,
);
console.log(
  `  change: means reversed at t = ${change.at.join(", ")};  walk: sigma ${SIGMA} per step, clamped to [0, 1]`,
);
console.log(
  `  decay: at every step each posterior's evidence is multiplied by 0.5^(1/half-life); recommended half-life ${HALF_LIFE} steps`,
);

const started = performance.now();
const halfLives: (number | undefined)[] = [undefined, ...SWEEP];
const jobs = WORLDS.flatMap((w) =>
  halfLives.map((decayHalfLife) => ({
    environment: { reward: "bernoulli" as const, means: gapMeans(10, 0.5, 0.1), drift: w.drift },
    policy: "thompson",
    horizon,
    reps,
    seed,
    decayHalfLife,
  })),
);
const results = (await simulateParallel(jobs, workers)).map((r) => r.result);
const wall = (performance.now() - started) / 1000;

console.log("");
const head = halfLives.map((h) => (h === undefined ? "stationary" : `half-life ${h}`).padStart(17));
console.log(`${"world".padEnd(8)}${head.join("")}   decayed(${HALF_LIFE}) / stationary`);
let i = 0;
for (const w of WORLDS) {
  const row = halfLives.map(() => results[i++]!);
  const cells = row.map((r) => `${r.regret.mean.toFixed(0)} ± ${r.regret.se.toFixed(0)}`.padStart(17));
  const stationary = row[0]!.regret.mean;
  const chosen = row[halfLives.indexOf(HALF_LIFE)]!.regret.mean;
  console.log(`${w.name.padEnd(8)}${cells.join("")}   ${(chosen / stationary).toFixed(2)}`);
}
console.log("");
console.log("best-arm share (stationary vs decayed at the recommended half-life):");
i = 0;
for (const w of WORLDS) {
  const row = halfLives.map(() => results[i++]!);
  const chosen = row[halfLives.indexOf(HALF_LIFE)]!;
  console.log(
    `  ${w.name.padEnd(8)}${(100 * row[0]!.bestArmShare).toFixed(1)}% vs ${(100 * chosen.bestArmShare).toFixed(1)}%`,
  );
}
console.log(`wall ${wall.toFixed(1)} s`);

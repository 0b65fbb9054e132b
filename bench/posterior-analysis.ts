/**
 * Cost of the posterior draws and of the Monte Carlo analyses behind the stats endpoints:
 * ns per sample() for each posterior kind, and ms per bestArmAnalysis / upliftInterval /
 * densityCurve call. Medians over several runs (the machine is noisy).
 *
 *   npx tsx bench/posterior-analysis.ts [--runs=7]
 */
import { loadavg } from "node:os";
import { bestArmAnalysis } from "../src/stats/analysis/best-arm-analysis.js";
import { densityCurve } from "../src/stats/analysis/density-curve.js";
import { upliftInterval } from "../src/stats/analysis/uplift-interval.js";
import { BetaBernoulliPosterior } from "../src/stats/posteriors/beta-bernoulli.js";
import { GaussianPosterior } from "../src/stats/posteriors/gaussian.js";
import type { Posterior } from "../src/stats/posteriors/posterior.js";
import { createRng } from "../src/stats/rng.js";

const runsArg = process.argv.find((a) => a.startsWith("--runs="));
const RUNS = runsArg ? Number(runsArg.slice(7)) : 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time (ms) of fn over RUNS runs, after one warm-up. */
function time(fn: () => void): number {
  fn();
  const ms: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const beta = (s: number, f: number) => new BetaBernoulliPosterior({ alpha: 1, beta: 1 }, s, f);
const gaussian = (m: number) => {
  const g = new GaussianPosterior();
  const rng = createRng(m);
  for (let i = 0; i < 500; i++) g.update(m + 10 * (rng.next() - 0.5));
  return g;
};
const kinds: [string, Posterior[]][] = [
  ["beta", Array.from({ length: 10 }, (_, i) => beta(100 + 5 * i, 900 - 5 * i))],
  ["gaussian", Array.from({ length: 10 }, (_, i) => gaussian(20 + i))],
];

console.log(
  `node ${process.version}, ${RUNS} runs per figure (median), 10 arms per analysis, ` +
    `load average ${loadavg()[0]!.toFixed(1)} on this machine`,
);
let sink = 0; // consumed at the end so the sampling loops are not optimised away
const N = 1_000_000;
for (const [kind, arms] of kinds) {
  const p = arms[0]!;
  const rng = createRng(1);
  const ms = time(() => {
    for (let i = 0; i < N; i++) sink += p.sample(rng);
  });
  const best = time(() => void bestArmAnalysis(arms, rng, { draws: 10_000 }));
  const uplift = time(() => void upliftInterval(arms[1]!, arms[0]!, rng, { draws: 10_000 }));
  const curve = time(() => void densityCurve(p, 200));
  console.log(
    `${kind.padEnd(8)} sample ${((ms * 1e6) / N).toFixed(1)} ns | bestArmAnalysis(10 arms, 10k draws) ${best.toFixed(2)} ms` +
      ` | upliftInterval(10k draws) ${uplift.toFixed(2)} ms | densityCurve(200) ${curve.toFixed(3)} ms`,
  );
}
console.log(`(checksum ${sink.toExponential(3)})`);

/**
 * Off-policy evaluation on the Open Bandit Dataset sample (the Open Bandit Pipeline's check):
 * the BTS policy's action distribution by Monte Carlo from prior_bts.json, evaluated by IPS,
 * SNIPS and DR on the uniform-random logs, against BTS's on-policy click rate in the bts logs.
 * Prints the figures side by side for men and women, per position, with bootstrap intervals,
 * and the median wall time of a whole evaluation.
 *
 *   npx tsx bench/obd-evaluation.ts [--dir=../shared/data/obd] [--draws=100000] [--seed=1]
 *                                   [--bootstrap=1000] [--clip=W] [--runs=3]
 */
import { loadavg } from "node:os";
import { evaluateObd } from "../src/apps/obd/evaluate-obd.js";
import { formatObdEvaluation } from "../src/apps/obd/format-obd-evaluation.js";

function arg(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
const num = (name: string) => (arg(name) === undefined ? undefined : Number(arg(name)));

const options = { dir: arg("dir"), draws: num("draws"), seed: num("seed"), clip: num("clip") };
const BOOTSTRAP = num("bootstrap") ?? 1000;
const RUNS = num("runs") ?? 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
const f5 = (x: number) => x.toFixed(5);

console.log(
  `node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}; ` +
    `options ${JSON.stringify({ ...options, bootstrap: BOOTSTRAP, runs: RUNS })} (undefined = default)`,
);
const result = await evaluateObd(options);
console.log(`\n${formatObdEvaluation(result)}`);

console.log("\nper position (click rate per impression at that position):");
console.log("campaign  position  IPS      SNIPS    DR       on-policy bts [95% CI]");
for (const c of result.campaigns) {
  for (const p of c.byPosition ?? []) {
    const on = c.onPolicyByPosition.find((o) => o.position === p.position + 1)!.value;
    const e = p.estimates;
    console.log(
      `${c.campaign.padEnd(8)}  ${String(p.position + 1).padEnd(8)}  ${f5(e.ips!.value)}  ${f5(e.snips!.value)}  ` +
        `${f5(e.dr!.value)}  ${f5(on.value)} [${f5(on.lower)}, ${f5(on.upper)}]`,
    );
  }
}

if (BOOTSTRAP > 0) {
  const boot = await evaluateObd({ ...options, bootstrapReplicates: BOOTSTRAP });
  console.log(`\nbootstrap percentile intervals (${BOOTSTRAP} resamples of the random logs, seeded; q̂ not refitted):`);
  for (const c of boot.campaigns) {
    const cells = (["ips", "snips", "dr"] as const).map((k) => {
      const e = c.estimates[k];
      return `${k.toUpperCase()} [${f5(e.lower)}, ${f5(e.upper)}] ${c.onPolicyInside[k] ? "contains" : "misses"}`;
    });
    console.log(`${c.campaign.padEnd(6)} ${cells.join("  ")}  (on-policy ${f5(c.onPolicy.value)})`);
  }
}

const walls: number[] = [];
const splits: { load: number[]; monteCarlo: number[]; estimate: number[] } = { load: [], monteCarlo: [], estimate: [] };
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  const run = await evaluateObd(options);
  walls.push(performance.now() - t0);
  for (const key of ["load", "monteCarlo", "estimate"] as const) {
    splits[key].push(run.campaigns.reduce((s, c) => s + c.timingsMs[key], 0));
  }
}
console.log(
  `\nwall time of evaluateObd (both campaigns), median of ${RUNS}: ${median(walls).toFixed(0)} ms ` +
    `(load CSVs ${median(splits.load).toFixed(0)} ms, Monte Carlo ${median(splits.monteCarlo).toFixed(0)} ms, ` +
    `estimators ${median(splits.estimate).toFixed(0)} ms)`,
);

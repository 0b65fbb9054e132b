/**
 * ns per sample of the distribution samplers (src/stats/distributions) against a plain
 * Marsaglia–Tsang baseline and against numpy's Generator (PCG64; ziggurat normal,
 * Marsaglia–Tsang gamma, Jöhnk / gamma-ratio beta), numpy measured in the same run.
 *
 * Each row runs in a fresh child process, so V8 optimises that row's call site for that row's
 * shapes only (as numpy's `beta(a, b, size=n)` is one C loop per call); the "mixed" row is
 * the opposite case, one call site cycling through the four target settings sample by sample
 * (numpy: `beta(a_array, b_array)`). Within a row, rounds interleave baseline, ours and numpy,
 * so load from other processes hits all three alike. Times are process CPU time (this machine
 * is shared and noisy); figures are medians over the rounds.
 *
 *   npx tsx bench/beta-sampling.ts [--rounds=7] [--n=1000000] [--seed=1]
 */

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { sampleBeta } from "../src/stats/distributions/beta.js";
import { sampleGamma } from "../src/stats/distributions/gamma.js";
import { sampleStandardNormal } from "../src/stats/distributions/normal.js";
import { createRng, type Rng } from "../src/stats/rng.js";

const ROUNDS = Math.max(5, flag("rounds", 7));
const N = Math.max(1_000_000, flag("n", 1_000_000));
const SEED = flag("seed", 1);

/** The four settings of the speed target. */
const TARGET: readonly [number, number][] = [
  [50, 50],
  [2, 3],
  [0.5, 0.5],
  [1e5, 1e5],
];
// then the other regimes: a general a, b < 1 (Jöhnk with exponentials; 1/2, 1/2 has its own
// case), one shape < 1, the uniform prior, and the mixed call site
const ROWS: readonly string[] = [
  ...TARGET.map(([a, b]) => `beta ${a} ${b}`),
  "beta 0.2 0.8",
  "beta 0.5 20",
  "beta 1 1",
  "mixed",
  "normal",
  "gamma 0.5",
  "gamma 1",
  "gamma 2",
  "gamma 50",
];

// ---- baseline: the simple sampler this work replaced (polar normal, plain Marsaglia–Tsang)
function baselineNormal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

function baselineGamma(rng: Rng, shape: number): number {
  if (shape < 1) return baselineGamma(rng, shape + 1) * rng.nextOpen32() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = baselineNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextOpen32();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

function baselineBeta(rng: Rng, a: number, b: number): number {
  const x = baselineGamma(rng, a);
  const y = baselineGamma(rng, b);
  return x / (x + y);
}

// ---- timed loops (CPU time per sample, in ns); draws go to an array, as numpy's do
function cpuNs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

// Top-level loops taking the shapes as arguments (closure variables would be re-read and
// unboxed on every iteration); each child process uses one pair of them.
function baseBetaLoop(rng: Rng, a: number, b: number, out: Float64Array): number {
  const t = cpuNs();
  for (let i = 0; i < out.length; i++) out[i] = baselineBeta(rng, a, b);
  return (cpuNs() - t) / out.length;
}

function oursBetaLoop(rng: Rng, a: number, b: number, out: Float64Array): number {
  const t = cpuNs();
  for (let i = 0; i < out.length; i++) out[i] = sampleBeta(rng, a, b);
  return (cpuNs() - t) / out.length;
}

function baseMixedLoop(rng: Rng, as: Float64Array, bs: Float64Array, out: Float64Array): number {
  const t = cpuNs();
  for (let i = 0; i < out.length; i++) out[i] = baselineBeta(rng, as[i & 3]!, bs[i & 3]!);
  return (cpuNs() - t) / out.length;
}

function oursMixedLoop(rng: Rng, as: Float64Array, bs: Float64Array, out: Float64Array): number {
  const t = cpuNs();
  for (let i = 0; i < out.length; i++) out[i] = sampleBeta(rng, as[i & 3]!, bs[i & 3]!);
  return (cpuNs() - t) / out.length;
}

function baseGammaLoop(rng: Rng, shape: number, out: Float64Array): number {
  const t = cpuNs();
  for (let i = 0; i < out.length; i++) out[i] = baselineGamma(rng, shape);
  return (cpuNs() - t) / out.length;
}

function oursGammaLoop(rng: Rng, shape: number, out: Float64Array): number {
  const t = cpuNs();
  for (let i = 0; i < out.length; i++) out[i] = sampleGamma(rng, shape);
  return (cpuNs() - t) / out.length;
}

function baseNormalLoop(rng: Rng, out: Float64Array): number {
  const t = cpuNs();
  for (let i = 0; i < out.length; i++) out[i] = baselineNormal(rng);
  return (cpuNs() - t) / out.length;
}

function oursNormalLoop(rng: Rng, out: Float64Array): number {
  const t = cpuNs();
  for (let i = 0; i < out.length; i++) out[i] = sampleStandardNormal(rng);
  return (cpuNs() - t) / out.length;
}

type Loop = (rng: Rng, out: Float64Array) => number;

/** The baseline and our timed loop for a row, e.g. "beta 2 3", "gamma 0.5", "mixed", "normal". */
function loops(row: string): { base: Loop; ours: Loop } {
  const [kind, p = "0", q = "0"] = row.split(" ");
  const a = Number(p);
  const b = Number(q);
  if (kind === "beta") {
    return { base: (rng, out) => baseBetaLoop(rng, a, b, out), ours: (rng, out) => oursBetaLoop(rng, a, b, out) };
  }
  if (kind === "mixed") {
    const as = Float64Array.from(TARGET, (s) => s[0]);
    const bs = Float64Array.from(TARGET, (s) => s[1]);
    return {
      base: (rng, out) => baseMixedLoop(rng, as, bs, out),
      ours: (rng, out) => oursMixedLoop(rng, as, bs, out),
    };
  }
  if (kind === "gamma") {
    return { base: (rng, out) => baseGammaLoop(rng, a, out), ours: (rng, out) => oursGammaLoop(rng, a, out) };
  }
  return { base: baseNormalLoop, ours: oursNormalLoop };
}

// ---- numpy in a child process, driven line by line so its rounds interleave with ours
const NUMPY_SCRIPT = `
import sys, time
try:
    import numpy as np
except Exception as e:
    print("ERR", e, flush=True); sys.exit(0)
g = np.random.default_rng(${SEED})
print("OK", np.__version__, flush=True)
target = ${JSON.stringify(TARGET)}
for line in sys.stdin:
    kind, a, b, n = line.split()
    a = float(a); b = float(b); n = int(n)
    if kind == "mixed":
        A = np.tile([s[0] for s in target], n // len(target))
        B = np.tile([s[1] for s in target], n // len(target))
    t = time.process_time()
    if kind == "beta": g.beta(a, b, size=n)
    elif kind == "mixed": g.beta(A, B)
    elif kind == "gamma": g.standard_gamma(a, size=n)
    else: g.standard_normal(size=n)
    print((time.process_time() - t) * 1e9 / n, flush=True)
`;

import { flag } from "./helpers/flag.js";

interface Numpy {
  version: string;
  time(row: string, n: number): Promise<number>;
  close(): void;
}

async function startNumpy(): Promise<Numpy | string> {
  const child = spawn("python3", ["-c", NUMPY_SCRIPT], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const failed = new Promise<string>((resolve) => child.on("error", (e) => resolve(`python3 failed: ${e.message}`)));
  const first = await Promise.race([lines.next().then((r) => (r.done ? "python3 exited" : String(r.value))), failed]);
  if (!first.startsWith("OK ")) {
    child.kill();
    return first.startsWith("ERR") ? `numpy is not installed (${first.slice(4)})` : first;
  }
  return {
    version: first.slice(3),
    async time(row, n) {
      const [kind, a = "0", b = "0"] = row.split(" ");
      child.stdin.write(`${kind} ${a} ${b} ${n}\n`);
      const r = await lines.next();
      if (r.done) throw new Error("numpy child exited");
      return Number(r.value);
    },
    close: () => child.stdin.end(),
  };
}

interface RowResult {
  base: number[];
  ours: number[];
  numpy: number[];
  numpyNote: string;
}

/** One row, in this (child) process: warm up, then interleaved rounds. */
async function measureRow(row: string): Promise<RowResult> {
  const out = new Float64Array(N);
  const warm = new Float64Array(200_000);
  const { base, ours } = loops(row);
  const np = await startNumpy();
  const rng = createRng(SEED);
  base(rng, warm);
  ours(rng, warm);
  ours(rng, warm);
  const result: RowResult = { base: [], ours: [], numpy: [], numpyNote: typeof np === "string" ? np : np.version };
  for (let r = 0; r < ROUNDS; r++) {
    result.base.push(base(rng, out));
    result.ours.push(ours(rng, out));
    if (typeof np !== "string") result.numpy.push(await np.time(row, N));
  }
  if (typeof np !== "string") np.close();
  return result;
}

function runChild(row: string): Promise<RowResult> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const args = [...process.execArgv, script, `--child=${row}`, `--rounds=${ROUNDS}`, `--n=${N}`, `--seed=${SEED}`];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (d) => {
      text += String(d);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`row "${row}" exited with ${code}`));
      else resolve(JSON.parse(text) as RowResult);
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function label(row: string): string {
  const [kind, a, b] = row.split(" ");
  if (kind === "beta") return `Beta(${a}, ${b})`;
  if (kind === "gamma") return `Gamma(${a})`;
  if (kind === "mixed") return "mixed call site";
  return "N(0, 1)";
}

const childRow = process.argv.find((x) => x.startsWith("--child="))?.slice("--child=".length);
if (childRow) {
  process.stdout.write(JSON.stringify(await measureRow(childRow)));
} else {
  console.log("bench/beta-sampling — ns per sample (process CPU time), median of rounds");
  console.log(
    `  ${ROUNDS} rounds x ${N.toLocaleString("en-US")} samples per row and sampler, seed ${SEED}, node ${process.version}`,
  );
  console.log("  baseline: polar normal + plain Marsaglia–Tsang; ours: src/stats/distributions");
  console.log("  each row in a fresh process; mixed = one call site cycling through the first four rows");
  const f1 = (x: number): string => (Number.isNaN(x) ? "-" : x.toFixed(1)).padStart(10);
  const f2 = (x: number): string => (Number.isNaN(x) ? "-" : x.toFixed(2)).padStart(10);
  let header = false;
  for (const row of ROWS) {
    const r = await runChild(row);
    if (!header) {
      console.log(r.numpy.length > 0 ? `  numpy ${r.numpyNote} Generator (PCG64)` : `  numpy skipped: ${r.numpyNote}`);
      console.log("");
      console.log(
        `${"".padEnd(22)}${["baseline", "ours", "numpy", "ours/np", "best/best", "base/ours"].map((h) => h.padStart(10)).join("")}`,
      );
      header = true;
    }
    const base = median(r.base);
    const ours = median(r.ours);
    const npy = r.numpy.length > 0 ? median(r.numpy) : Number.NaN;
    const best = r.numpy.length > 0 ? Math.min(...r.ours) / Math.min(...r.numpy) : Number.NaN;
    console.log(
      `${label(row).padEnd(22)}${f1(base)}${f1(ours)}${f1(npy)}${f2(ours / npy)}${f2(best)}${f2(base / ours)}`,
    );
  }
  console.log("");
  console.log("ours/np: ratio of the medians (<= 1.00: at least as fast as numpy's Generator in the same run);");
  console.log("best/best: ratio of the fastest rounds, the least disturbed by other processes.");
}

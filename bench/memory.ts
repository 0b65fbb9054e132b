// Memory of the engine's in-memory model: 1M (segment, arm) posteriors resident.
// Run: node --expose-gc --import tsx bench/memory.ts
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { GLOBAL_SEGMENT } from "../src/domain/experiment.js";
import { ExperimentModel } from "../src/engine/experiment-model.js";
import { benchExperiment } from "./helpers/bench-experiment.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error("run with node --expose-gc --import tsx bench/memory.ts");
  process.exit(2);
}

function measure(label: string, arms: number, segments: number): void {
  gc!();
  const before = process.memoryUsage();
  const record = benchExperiment("mem", arms, { segmentKeys: ["segment"] });
  const model = new ExperimentModel(record);
  const evidence = { n: 1, s1: 1, s2: 0 };
  for (let s = 0; s < segments; s++) {
    const key = `segment=${s}`;
    for (let a = 0; a < arms; a++) {
      model.addPull(key, a);
      model.addEvidence(key, a, evidence, 1);
    }
  }
  gc!();
  const after = process.memoryUsage();
  const posteriors = model.segments.size * arms;
  const heapMb = (after.heapUsed - before.heapUsed) / 2 ** 20;
  const extMb = (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / 2 ** 20;
  const rssMb = after.rss / 2 ** 20;
  const rssDeltaMb = (after.rss - before.rss) / 2 ** 20;
  console.log(
    `${label.padEnd(28)} posteriors ${posteriors.toLocaleString("en").padStart(10)}  heap +${heapMb.toFixed(1)} MB  typed arrays +${extMb.toFixed(1)} MB  total +${(heapMb + extMb).toFixed(1)} MB  (${(((heapMb + extMb) * 2 ** 20) / posteriors).toFixed(0)} B each)  rss +${rssDeltaMb.toFixed(0)} MB, process rss ${rssMb.toFixed(0)} MB`,
  );
  // keep the model alive until measured
  if (model.segments.get(GLOBAL_SEGMENT) === undefined) throw new Error("unreachable");
}

const CASES: [string, number, number][] = [
  ["100k segments × 10 arms", 10, 100_000],
  ["1M segments × 1 arm", 1, 1_000_000],
  ["10k segments × 100 arms", 100, 10_000],
];
const which = process.argv[2];
if (which !== undefined) {
  const [label, arms, segments] = CASES[Number(which)]!;
  measure(label, arms, segments);
} else {
  console.log(
    "in-memory model: one slab of 6 doubles per (segment, arm): evidence n, s1, s2; pulls, rewards, reward sum",
  );
  console.log("each case in a fresh process; figures are heap + typed-array growth after GC");
  for (let i = 0; i < CASES.length; i++) {
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(i)], {
      stdio: "inherit",
    });
  }
  console.log("goal: 1M (segment, arm) posteriors resident in <= 300 MB");
}

/**
 * Bench helper (not a bench): runs several simulations with their reps spread over worker
 * threads, one per core. Each rep depends only on (options, rep index), so the merged result
 * equals simulate(options) exactly, whatever the number of workers.
 */
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import {
  type RepsRun,
  runReps,
  type SimulationOptions,
  type SimulationResult,
  summarizeReps,
} from "../src/stats/simulation/simulate.js";

interface Task {
  id: number;
  options: Omit<SimulationOptions, "onProgress">;
  from: number;
  to: number;
}

if (!isMainThread) {
  parentPort!.on("message", (task: Task) => {
    parentPort!.postMessage({ id: task.id, run: runReps(task.options, task.from, task.to) });
  });
}

// Node 20 workers do not inherit tsx's loader hooks: each worker registers tsx, then loads this file
const BOOT = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;

/** Number of workers: the cores (override with the first `--workers=N` argument). */
export function workerCount(): number {
  const flag = process.argv.find((a) => a.startsWith("--workers="));
  return flag ? Math.max(1, Number(flag.slice("--workers=".length))) : availableParallelism();
}

export interface ParallelResult {
  result: SimulationResult;
  /** Raw per-rep figures, chunks sorted by first rep. */
  runs: RepsRun[];
}

/** Regret of one rep at the checkpoint of index `cp`. */
export function repCheckpointRegret(p: ParallelResult, rep: number, cp: number): number {
  const run = p.runs.find((r) => r.from <= rep && rep < r.to)!;
  return run.checkpointRegrets[(rep - run.from) * p.result.checkpoints.length + cp]!;
}

/** Runs every simulation; reps go to workers in chunks. Progress is reported per finished chunk. */
export async function simulateParallel(
  all: readonly Omit<SimulationOptions, "onProgress">[],
  workers = workerCount(),
  onChunk?: (done: number, total: number) => void,
): Promise<ParallelResult[]> {
  const tasks: Task[] = [];
  all.forEach((options, id) => {
    // chunks of a few reps: long enough to amortise messaging, short enough to balance the load
    const chunk = Math.max(1, Math.ceil(options.reps / (2 * workers)));
    for (let from = 0; from < options.reps; from += chunk) {
      tasks.push({ id, options, from, to: Math.min(options.reps, from + chunk) });
    }
  });
  const runs: RepsRun[][] = all.map(() => []);
  let next = 0;
  let finished = 0;
  const pool = Array.from({ length: Math.min(workers, tasks.length) }, () => new Worker(BOOT, { eval: true }));
  try {
    await Promise.all(
      pool.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = (): void => {
              if (next < tasks.length) w.postMessage(tasks[next++]);
              else resolve();
            };
            w.on("message", (m: { id: number; run: RepsRun }) => {
              runs[m.id]!.push(m.run);
              onChunk?.(++finished, tasks.length);
              feed();
            });
            w.on("error", reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return all.map((options, id) => ({
    result: summarizeReps(options, runs[id]!),
    runs: runs[id]!.sort((a, b) => a.from - b.from),
  }));
}

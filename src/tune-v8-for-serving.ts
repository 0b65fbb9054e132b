import { setFlagsFromString } from "node:v8";

/**
 * V8 settings for a long-running server, applied once when it starts (every thread of the
 * process shares them). A `node` command-line flag that names one of them wins.
 *
 * - No allocation-site pretenuring. V8 moves a site's objects straight to the old generation
 *   once most of them survived a young collection; a stall under load (a pool redraw, a slow
 *   commit) can make that happen for a request's objects, and the strings they point to are then
 *   promoted until the next full collection. Under rank load the main thread fell into that state
 *   in 4 of 29 runs and stayed there: 4.3–4.6 KB promoted per rank instead of 0.4 KB, 15–17
 *   instead of 4–7 µs of scavenge per rank, and full collections. Without pretenuring: 0 of 22
 *   runs (bench/rank-gc.ts, and its --pretenuring=1).
 */
export function tuneV8ForServing(): void {
  if (tuned) return;
  tuned = true;
  if (!process.execArgv.some((a) => a.includes("allocation-site-pretenuring"))) {
    setFlagsFromString("--no-allocation-site-pretenuring");
  }
}

let tuned = false;

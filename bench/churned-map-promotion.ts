/**
 * Why PendingCalls is not a Map: calls in flight held for one event-loop turn each, in a
 * long-lived table, through a Map or PendingCalls (a null-prototype object), side by side. Each
 * table runs in its own process under --trace-gc-nvp; per call, the bytes its young-generation
 * collections promoted to the old generation and their pause.
 *   npx tsx bench/churned-map-promotion.ts [--turns=40000] [--calls=32] [--runs=3]
 * Each turn takes the previous turn's calls (a 2 KB string and a closure over it, as a rank's
 * body and its promise's resolve) and adds as many new ones: nothing outlives two turns.
 */
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { PendingCalls } from "../src/stores/pending-calls.js";
import { median } from "./helpers/bench-server.js";
import { flag } from "./helpers/flag.js";

const turns = flag("turns", 40_000);
const perTurn = flag("calls", 32);
const runs = flag("runs", 3);
const tables = ["Map", "PendingCalls"] as const;
const child = process.argv.find((a) => a.startsWith("--child="))?.slice("--child=".length);

if (child !== undefined) {
  const map = new Map<number, () => number>();
  const calls = new PendingCalls<() => number>();
  const base = "x".repeat(2000);
  let id = 0;
  let turn = 0;
  let sink = 0;
  const next = () => {
    for (let k = id - perTurn + 1; k <= id; k++) {
      const call = child === "Map" ? map.get(k) : calls.take(k);
      if (child === "Map") map.delete(k);
      if (call !== undefined) sink += call();
    }
    for (let i = 0; i < perTurn; i++) {
      id++;
      const body = `${base}${id}`.slice(1); // a fresh string per call, as a request's body
      const call = () => body.length;
      if (child === "Map") map.set(id, call);
      else calls.add(id, call);
    }
    if (++turn < turns) setImmediate(next);
    else if (sink < 0) console.log(sink);
  };
  next();
} else {
  const run = (table: string) =>
    new Promise<{ promoted: number; pauseMs: number; scavenges: number }>((resolve, reject) => {
      const args = ["--trace-gc-nvp", "--import", "tsx", import.meta.filename, `--child=${table}`];
      args.push(`--turns=${turns}`, `--calls=${perTurn}`);
      const p = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      p.stdout.on("data", (c) => {
        out += String(c);
      });
      p.once("exit", (code) => {
        if (code !== 0) return reject(new Error(`${table}: exit ${code}`));
        // the main isolate's scavenges (the first isolate in the log; the loader's thread is another)
        const lines = out.split("\n").filter((l) => l.includes("gc=s "));
        const main = lines[0]?.slice(0, lines[0].indexOf("]"));
        let promoted = 0;
        let pauseMs = 0;
        let scavenges = 0;
        for (const l of lines) {
          if (!l.startsWith(main!)) continue;
          scavenges++;
          promoted += Number(/promoted=(\d+)/.exec(l)?.[1] ?? 0);
          pauseMs += Number(/pause=([\d.]+)/.exec(l)?.[1] ?? 0);
        }
        resolve({ promoted, pauseMs, scavenges });
      });
    });
  const results = new Map<string, { promoted: number; pauseMs: number; scavenges: number }[]>();
  for (let r = 0; r < runs; r++) {
    for (const t of tables) results.set(t, [...(results.get(t) ?? []), await run(t)]);
  }
  const n = turns * perTurn;
  console.log(
    `churned table promotion — ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}, node ${process.version}, ` +
      `${turns.toLocaleString("en-US")} turns × ${perTurn} calls of 2 KB held one turn, ${runs} runs (medians)`,
  );
  for (const t of tables) {
    const xs = results.get(t)!;
    console.log(
      `  ${t.padEnd(13)} promoted ${median(xs.map((x) => x.promoted / n))
        .toFixed(0)
        .padStart(
          5,
        )} B per call   scavenge pause ${median(xs.map((x) => (1000 * x.pauseMs) / n)).toFixed(2)} µs per call ` +
        `(${median(xs.map((x) => x.scavenges))} scavenges)`,
    );
  }
}

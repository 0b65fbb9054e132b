/**
 * Parsing a rank body (10 actions × 2 feature namespaces, 3 context namespaces; 1.9 KB): JSON.parse
 * alone (the server used to run a depth pass before it too), against the server's JsonBodyParser
 * (the depth check in the same pass, and the actions' features taken from its cache when their
 * text was seen before). The contexts
 * vary (64 bodies, one context value each); the actions repeat, as a catalog's do. Interleaved
 * windows, medians (the machine is shared).
 *   npx tsx bench/body-parse.ts [--windows=7] [--calls=50000]
 */
import { JsonBodyParser } from "../src/http/json-body-parser.js";
import { median } from "./helpers/bench-server.js";
import { flag } from "./helpers/flag.js";
import { rankBody } from "./helpers/rank-body.js";

const windows = flag("windows", 7);
const calls = flag("calls", 50_000);
const bodies = Array.from({ length: 64 }, (_, i) => rankBody(20 + i));
const parser = new JsonBodyParser(64);
let sink = 0;
const variants: Record<string, () => void> = {
  "JSON.parse alone": () => {
    for (let i = 0; i < calls; i++) sink += (JSON.parse(bodies[i & 63]!) as { actions: unknown[] }).actions.length;
  },
  "JsonBodyParser (cached features)": () => {
    for (let i = 0; i < calls; i++) sink += (parser.parse(bodies[i & 63]!) as { actions: unknown[] }).actions.length;
  },
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let w = 0; w < windows + 1; w++) {
  for (const [name, run] of Object.entries(variants)) {
    const started = performance.now();
    run();
    if (w > 0) times[name]!.push(((performance.now() - started) * 1000) / calls); // window 0 warms up
  }
}
console.log(`rank body parse — ${bodies[0]!.length} characters, ${windows} windows of ${calls} calls (medians)`);
const base = median(times["JSON.parse alone"]!);
for (const [name, t] of Object.entries(times)) {
  const m = median(t);
  console.log(`  ${name.padEnd(34)} ${m.toFixed(2).padStart(6)} µs   ${(base / m).toFixed(2)}×`);
}
if (sink === 0) console.log("(nothing parsed)");

/**
 * The main thread's young-generation collections under Personalizer rank load, run by run: a
 * fresh server per run (bench/helpers/server-child.ts, SQLite NORMAL, under --trace-gc-nvp),
 * autocannon's rank load for 2 s unmeasured, then `seconds` measured. Per run: req/s, and for
 * the main thread's isolate the scavenges, bytes promoted to the old generation per rank,
 * scavenge pause per rank and full collections. A run whose main thread promotes more than 2 KB
 * per rank keeps a whole scavenge interval of requests alive (see src/tune-v8-for-serving.ts).
 *   npx tsx bench/rank-gc.ts [--runs=6] [--seconds=4] [--connections=32] [--pretenuring=1] [--thread=0]
 * --pretenuring=1 runs node with --allocation-site-pretenuring (V8's default, which the server
 * turns off); --thread=0 decides ranks on the main thread (config rankThread off).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { autocannon } from "./helpers/autocannon.js";
import { jsonClient } from "./helpers/bench-server.js";
import { flag } from "./helpers/flag.js";
import { rankBody as rankBodyText } from "./helpers/rank-body.js";

const runs = flag("runs", 6);
const seconds = flag("seconds", 4);
const connections = flag("connections", 32);
const pretenuring = flag("pretenuring", 0) === 1;
const thread = flag("thread", 1) === 1;
const body = rankBodyText();

async function load(url: string, key: string, duration: number): Promise<number> {
  const headers = [`Ocp-Apim-Subscription-Key=${key}`];
  return (await autocannon(url, { connections, seconds: duration, body, headers })).perSecond;
}

interface Run {
  perSecond: number;
  scavenges: number;
  promotedPerRank: number;
  pausePerRankUs: number;
  fullGcs: number;
}

async function run(): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "banditry-rank-gc-"));
  const options = { dataDir: join(dir, "data"), sqliteSynchronous: "NORMAL", rankThread: thread };
  const nodeArgs = ["--trace-gc-nvp", ...(pretenuring ? ["--allocation-site-pretenuring"] : [])];
  const child = spawn(
    process.execPath,
    [...nodeArgs, "--import", "tsx", join(import.meta.dirname, "helpers", "server-child.ts"), JSON.stringify(options)],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  // --trace-gc-nvp writes to stdout, between the child's own JSON lines
  const gc: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<string>((resolve) =>
    lines.on("line", (l) => (l.startsWith("{") ? resolve(l) : gc.push(l))),
  );
  try {
    const { url, key } = JSON.parse(info) as { url: string; key: string };
    const loop = (await (
      await fetch(`${url}/v1/loops`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ id: "bench-loop" }),
      })
    ).json()) as { secret: string };
    const client = jsonClient(url, loop.secret, 1);
    await client.post("/personalizer/v1.0/rank", body);
    client.close();
    const rankUrl = `${url}/personalizer/v1.0/rank`;
    await load(rankUrl, loop.secret, 2);
    const from = gc.length;
    const perSecond = await load(rankUrl, loop.secret, seconds);
    const measured = gc.slice(from);
    // the main thread's isolate is the first one the log names
    const main = /^\[\d+:(0x[0-9a-f]+)\]/.exec(gc.find((l) => /^\[\d+:0x/.test(l)) ?? "")?.[1];
    const ranks = perSecond * seconds;
    let scavenges = 0;
    let promoted = 0;
    let pauseMs = 0;
    let fullGcs = 0;
    for (const l of measured) {
      if (main === undefined || !l.includes(`:${main}]`)) continue;
      const kind = /gc=(\w+)/.exec(l)?.[1];
      if (kind === "s") {
        scavenges++;
        promoted += Number(/promoted=(\d+)/.exec(l)?.[1] ?? 0);
        pauseMs += Number(/pause=([\d.]+)/.exec(l)?.[1] ?? 0);
      } else if (kind === "mc" || kind === "ms") fullGcs++;
    }
    return {
      perSecond,
      scavenges,
      promotedPerRank: promoted / ranks,
      pausePerRankUs: (1000 * pauseMs) / ranks,
      fullGcs,
    };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `rank GC on the main thread — ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}, node ${process.version}, ` +
    `autocannon -c ${connections} -d ${seconds}, ${runs} runs, rank thread ${thread ? "on" : "off"}, ` +
    `allocation-site pretenuring ${pretenuring ? "on (V8's default)" : "off (the server's setting)"}`,
);
let promoting = 0;
for (let i = 0; i < runs; i++) {
  const r = await run();
  if (r.promotedPerRank > 2048) promoting++;
  console.log(
    `  run ${i + 1}: ${Math.round(r.perSecond).toLocaleString("en-US").padStart(6)} ranks/s   ${String(r.scavenges).padStart(3)} scavenges   ` +
      `promoted ${Math.round(r.promotedPerRank).toLocaleString("en-US").padStart(5)} B/rank   ` +
      `scavenge pause ${r.pausePerRankUs.toFixed(1).padStart(4)} µs/rank   ${r.fullGcs} full GCs`,
  );
}
console.log(`  runs promoting more than 2 KB per rank: ${promoting} of ${runs}`);

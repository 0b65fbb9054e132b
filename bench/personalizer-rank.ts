/**
 * The Personalizer-compatible rank beside the v1 decision endpoint, over HTTP, in one run.
 *
 *   npx tsx bench/personalizer-rank.ts [--seconds=5] [--connections=32] [--runs=2] [--pairs=3000]
 *
 * One real server process (startServer, SQLite synchronous NORMAL in a temp dir, group commit,
 * auth and metrics on); the load generator is the autocannon CLI in its own process with the
 * same settings for both routes:
 * - v1: POST /v1/experiments/bench/decisions, a Bernoulli Thompson experiment with K = 10 arms;
 * - rank: POST /personalizer/v1.0/rank on a loop (linear Thompson sampling, Personalizer's
 *   default policy: d = 256, context × action interactions, 20% exploration; the server's
 *   default linear policy "pool" ranks from a posterior draw pool of M = 128 draws, with exact
 *   probabilities k/M) with 10 actions × 20 features per (context, action): 10 context features
 *   and 10 per action. No eventId: the server makes one.
 * After 2 s of each route's load unmeasured (JIT warm-up), medians over runs of req/s and p99
 * latency, the server's CPU per request (the process, and its main thread alone, with how busy the
 * main thread was), and the ratio rank / v1 (goal ≥ 50%). Then rank
 * + reward pairs through a keep-alive client (`connections` in flight), after a third as many
 * unmeasured: events (ranked and rewarded) per second.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { autocannon } from "./helpers/autocannon.js";
import { type BenchServer, fmt, jsonClient, median, spawnBenchServer } from "./helpers/bench-server.js";
import { flag } from "./helpers/flag.js";
import { rankBody as rankBodyText } from "./helpers/rank-body.js";

const seconds = flag("seconds", 5);
const connections = flag("connections", 32);
const runs = flag("runs", 2);
const pairs = flag("pairs", 3000);
/** 0 = the loop's default policy; else the policy is set to `-q :: --dimension d --draws n`. */
const dimension = flag("dimension", 0);
const draws = flag("draws", 200);

const rankBody = rankBodyText();

function load(url: string, body: string, header: string, duration = seconds) {
  return autocannon(url, { connections, seconds: duration, body, headers: [header] });
}

/** The bench experiment (v1) and a loop that knows its actions; the loop's key. */
async function setUp(server: BenchServer): Promise<string> {
  const admin = { authorization: `Bearer ${server.key}`, "content-type": "application/json" };
  await fetch(`${server.url}/v1/experiments`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({
      id: "bench",
      reward: "bernoulli",
      arms: Array.from({ length: 10 }, (_, i) => ({ id: `arm-${i}` })),
    }),
  });
  const loop = (await (
    await fetch(`${server.url}/v1/loops`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ id: "bench-loop" }),
    })
  ).json()) as { secret: string };
  if (dimension > 0) {
    const put = await fetch(`${server.url}/personalizer/v1.0/configurations/policy`, {
      method: "PUT",
      headers: { "Ocp-Apim-Subscription-Key": loop.secret, "content-type": "application/json" },
      body: JSON.stringify({ name: "bench", arguments: policy }),
    });
    if (put.status !== 200) throw new Error(`policy answered ${put.status}: ${await put.text()}`);
  }
  // one ranked event first, so the loop knows its actions
  const warm = jsonClient(server.url, loop.secret, 1);
  const first = await warm.post("/personalizer/v1.0/rank", rankBody);
  if (first.status !== 201) throw new Error(`rank answered ${first.status}: ${first.text}`);
  warm.close();
  return loop.secret;
}

const policy = `--cb_explore_adf -q :: --dimension ${dimension} --draws ${draws}`;
const dataDir = mkdtempSync(join(tmpdir(), "banditry-bench-"));
const server = await spawnBenchServer({ dataDir: join(dataDir, "a"), sqliteSynchronous: "NORMAL" });
// the same server with ranks decided on its main thread (config rankThread off): the thread's effect, side by side
const mainOnly = await spawnBenchServer({
  dataDir: join(dataDir, "b"),
  sqliteSynchronous: "NORMAL",
  rankThread: false,
});
try {
  const loop = { secret: await setUp(server) };
  const mainOnlyKey = await setUp(mainOnly);

  const v1Url = `${server.url}/v1/experiments/bench/decisions`;
  const rankUrl = `${server.url}/personalizer/v1.0/rank`;
  const mainOnlyUrl = `${mainOnly.url}/personalizer/v1.0/rank`;
  // every route's load unmeasured first: JIT compilation is not the steady state
  await load(v1Url, "{}", `authorization=Bearer ${server.key}`, 2);
  await load(rankUrl, rankBody, `Ocp-Apim-Subscription-Key=${loop.secret}`, 2);
  await load(mainOnlyUrl, rankBody, `Ocp-Apim-Subscription-Key=${mainOnlyKey}`, 2);
  type Run = { perSecond: number; p99: number; cpuUs: number; mainUs: number };
  // the server's CPU per request: the whole process, and its main thread alone (the event loop,
  // where a route's JavaScript runs: the route is bound by it while the other core has room)
  const measured = async (on: BenchServer, url: string, body: string, header: string): Promise<Run> => {
    const { result, cpuUs, mainThreadUs } = await on.measure(() => load(url, body, header));
    const n = result.perSecond * seconds;
    return { perSecond: result.perSecond, p99: result.p99, cpuUs: cpuUs / n, mainUs: (mainThreadUs ?? Number.NaN) / n };
  };
  const v1: Run[] = [];
  const rank: Run[] = [];
  const rankMainOnly: Run[] = [];
  for (let i = 0; i < runs; i++) {
    v1.push(await measured(server, v1Url, "{}", `authorization=Bearer ${server.key}`));
    rank.push(await measured(server, rankUrl, rankBody, `Ocp-Apim-Subscription-Key=${loop.secret}`));
    rankMainOnly.push(await measured(mainOnly, mainOnlyUrl, rankBody, `Ocp-Apim-Subscription-Key=${mainOnlyKey}`));
  }

  // rank + reward pairs: each worker ranks, then rewards the chosen action
  const client = jsonClient(server.url, loop.secret, connections);
  const runPairs = async (n: number) => {
    let done = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (done < n) {
          done++;
          const r = await client.post("/personalizer/v1.0/rank", rankBody);
          if (r.status !== 201) throw new Error(`rank answered ${r.status}: ${r.text}`);
          const { eventId } = JSON.parse(r.text) as { eventId: string };
          const w = await client.post(`/personalizer/v1.0/events/${eventId}/reward`, '{"value":1}');
          if (w.status !== 204) throw new Error(`reward answered ${w.status}: ${w.text}`);
        }
      }),
    );
  };
  await runPairs(Math.ceil(pairs / 3)); // unmeasured: the reward and learning path warms up too
  const started = performance.now();
  // the server's CPU per pair (its learning included): the client shares the machine
  const { cpuUs: pairCpuUs } = await server.measure(() => runPairs(pairs));
  const pairSeconds = (performance.now() - started) / 1000;
  client.close();

  const v1Rate = median(v1.map((x) => x.perSecond));
  const rankRate = median(rank.map((x) => x.perSecond));
  const mainOnlyRate = median(rankMainOnly.map((x) => x.perSecond));
  console.log(
    `personalizer rank vs v1 decide — ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}, ` +
      `autocannon -c ${connections} -d ${seconds}, ${runs} runs (medians), SQLite NORMAL, ` +
      `policy ${dimension > 0 ? JSON.stringify(policy) : "default (d = 256, pool of 128 draws)"}`,
  );
  const cpu = (xs: Run[]) =>
    `server CPU ${fmt(median(xs.map((x) => x.cpuUs)))} µs/req, main thread ${fmt(median(xs.map((x) => x.mainUs)))} µs/req ` +
    `(busy ${Math.round(median(xs.map((x) => (x.mainUs * x.perSecond) / 1e4)))}%)`;
  console.log(
    `  v1 decide (K=10)            ${fmt(v1Rate).padStart(7)} req/s   p99 ${median(v1.map((x) => x.p99))} ms   ${cpu(v1)}`,
  );
  console.log(
    `  rank (10 actions × 20 feat) ${fmt(rankRate).padStart(7)} req/s   p99 ${median(rank.map((x) => x.p99))} ms   ${cpu(rank)}`,
  );
  console.log(
    `  rank, main thread only      ${fmt(mainOnlyRate).padStart(7)} req/s   p99 ${median(rankMainOnly.map((x) => x.p99))} ms   ${cpu(rankMainOnly)}`,
  );
  // the machine's speed drifts between runs: each run's ratio compares routes measured minutes apart at most
  const perRun = (xs: Run[]) => median(xs.map((x, i) => (100 * x.perSecond) / v1[i]!.perSecond)).toFixed(1);
  console.log(
    `  ratio rank / v1             ${((100 * rankRate) / v1Rate).toFixed(1)}% (goal ≥ 50%); ` +
      `main thread only ${((100 * mainOnlyRate) / v1Rate).toFixed(1)}%; median of each run's ratio ${perRun(rank)}% and ${perRun(rankMainOnly)}%`,
  );
  console.log(
    `  rank + reward               ${fmt(pairs / pairSeconds).padStart(7)} events/s (${pairs} pairs, ${connections} in flight: ` +
      `${fmt((2 * pairs) / pairSeconds)} requests/s), server CPU ${fmt(pairCpuUs / pairs)} µs per pair`,
  );
} finally {
  await server.stop();
  await mainOnly.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

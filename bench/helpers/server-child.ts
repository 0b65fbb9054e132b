/**
 * The server side of the HTTP benchmarks, run as its own process:
 *   node --import tsx bench/helpers/server-child.ts '<json ServerChildOptions>'
 * Starts the real server (startServer: group commit, auth, metrics; request logging off, the
 * default), prints {"url", "key"} (the admin key) on one line, then answers on stdin: "mark"
 * starts a CPU measurement, "report" prints {"cpuUs", "mainThreadUs"} used since the mark (the process, its main thread). With {"hello": true}
 * it is a bare Fastify app instead, whose POST /v1/experiments/bench/decisions answers a constant
 * decision-shaped JSON: the ceiling of one request per decision on this machine.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Fastify from "fastify";
import { loadConfig } from "../../src/config.js";
import { startServer } from "../../src/server.js";
import type { ServerChildOptions } from "./bench-server.js";

const options = JSON.parse(process.argv[2]!) as ServerChildOptions;
const handle = options.hello
  ? await helloWorld()
  : await startServer(
      loadConfig(
        {
          port: 0,
          logLevel: "warn",
          ...(options.databaseUrl === undefined
            ? {
                dataDir: options.dataDir!,
                databaseUrl: null,
                sqliteSynchronous: options.sqliteSynchronous ?? "FULL",
                sqliteWorker: options.sqliteWorker ?? false,
                sqliteBackgroundCheckpoints: options.sqliteBackgroundCheckpoints ?? true,
              }
            : { databaseUrl: options.databaseUrl }),
          ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
          ...(options.rankThread === undefined ? {} : { rankThread: options.rankThread }),
        },
        {},
      ),
      { handleSignals: true, print: () => {} },
    );
// BENCH_PROFILE_DIR=<dir>: a CPU profile of each measured window (mark → report), startup excluded
const profileDir = process.env.BENCH_PROFILE_DIR;
const profiler = profileDir === undefined ? undefined : new Session();
profiler?.connect();
await profiler?.post("Profiler.enable");
let mark = process.cpuUsage();
let mainMark = mainThreadCpuUs();
createInterface({ input: process.stdin }).on("line", async (line) => {
  if (line === "mark") {
    mark = process.cpuUsage();
    mainMark = mainThreadCpuUs();
    await profiler?.post("Profiler.start");
  }
  if (line === "report") {
    const d = process.cpuUsage(mark);
    const main = mainThreadCpuUs();
    if (profiler !== undefined) {
      const { profile } = await profiler.post("Profiler.stop");
      writeFileSync(join(profileDir!, `server-${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    }
    const mainUs = main === undefined || mainMark === undefined ? undefined : main - mainMark;
    process.stdout.write(`${JSON.stringify({ cpuUs: d.user + d.system, mainThreadUs: mainUs })}\n`);
  }
});
process.stdout.write(`${JSON.stringify({ url: handle.url, key: handle.initialAdminKey })}\n`);

/**
 * CPU time of the main thread alone (µs, 10 ms resolution): Linux's /proc/self/task/<pid>/stat
 * utime + stime in clock ticks (100 a second); undefined elsewhere. The process total includes
 * the SQLite checkpoint thread and V8's helper threads, which run on the other core.
 */
function mainThreadCpuUs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

async function helloWorld(): Promise<{ url: string; initialAdminKey: string }> {
  const app = Fastify();
  const answer = { eventId: "e", arm: { id: "arm-0", value: null }, group: "bandit", segment: "*", propensity: null };
  app.post("/v1/experiments/bench/decisions", async (_request, reply) => reply.code(201).send(answer));
  return { url: await app.listen({ port: 0, host: "127.0.0.1" }), initialAdminKey: "none" };
}

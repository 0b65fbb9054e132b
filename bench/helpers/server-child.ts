/**
 * The server side of the HTTP benchmarks, run as its own process:
 *   node --import tsx bench/helpers/server-child.ts '<json ServerChildOptions>'
 * Starts the real server (startServer: group commit, auth, metrics; request logging off, the
 * default), prints {"url", "key"} (the admin key) on one line, then answers on stdin: "mark"
 * starts a CPU measurement, "report" prints {"cpuUs"} used since the mark.
 */
import { createInterface } from "node:readline";
import { loadConfig } from "../../src/config.js";
import { startServer } from "../../src/server.js";
import type { ServerChildOptions } from "./bench-server.js";

const options = JSON.parse(process.argv[2]!) as ServerChildOptions;
const handle = await startServer(
  loadConfig(
    {
      port: 0,
      logLevel: "warn",
      ...(options.databaseUrl === undefined
        ? { dataDir: options.dataDir!, databaseUrl: null, sqliteSynchronous: options.sqliteSynchronous ?? "FULL" }
        : { databaseUrl: options.databaseUrl }),
      ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    },
    {},
  ),
  { handleSignals: true, print: () => {} },
);
let mark = process.cpuUsage();
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "mark") mark = process.cpuUsage();
  if (line === "report") {
    const d = process.cpuUsage(mark);
    process.stdout.write(`${JSON.stringify({ cpuUs: d.user + d.system })}\n`);
  }
});
process.stdout.write(`${JSON.stringify({ url: handle.url, key: handle.initialAdminKey })}\n`);

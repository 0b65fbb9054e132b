import { spawn } from "node:child_process";
import { join } from "node:path";

export interface AutocannonRun {
  /** Requests per second, the mean over the run. */
  perSecond: number;
  total: number;
  /** Latency percentiles (ms). */
  p50: number;
  p99: number;
  p999: number;
}

/**
 * The autocannon CLI in its own process (so the load generator does not share the bench's
 * event loop): `connections` connections for `seconds` s against `url`, a POST of the JSON
 * `body` when given (else a GET), with each `headers` entry as `name=value`. Throws when any
 * answer was not 2xx or failed.
 */
export async function autocannon(
  url: string,
  options: { connections: number; seconds: number; body?: string; headers?: readonly string[] },
): Promise<AutocannonRun> {
  const args = [join(import.meta.dirname, "..", "..", "node_modules", "autocannon", "autocannon.js")];
  args.push("--json", "-c", String(options.connections), "-d", String(options.seconds));
  if (options.body !== undefined) args.push("-m", "POST", "-H", "content-type=application/json", "-b", options.body);
  for (const h of options.headers ?? []) args.push("-H", h);
  args.push(url);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout!.on("data", (c) => {
    out += String(c);
  });
  await new Promise((r) => child.once("exit", r));
  const r = JSON.parse(out) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number; p99_9: number };
    non2xx: number;
    errors: number;
  };
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return {
    perSecond: r.requests.average,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    p999: r.latency.p99_9,
  };
}

import { spawn } from "node:child_process";
import http from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface ServerChildOptions {
  /** SQLite data directory (when databaseUrl is not given). */
  dataDir?: string;
  sqliteSynchronous?: "FULL" | "NORMAL";
  /** SQLite's connection in a worker thread (config sqliteWorker). */
  sqliteWorker?: boolean;
  /** false: SQLite's own checkpoints inside the COMMIT (config sqliteBackgroundCheckpoints, default true: a thread of their own). */
  sqliteBackgroundCheckpoints?: boolean;
  databaseUrl?: string;
  bodyLimit?: number;
  /** false: Personalizer ranks decided on the main thread (config rankThread, default true). */
  rankThread?: boolean;
  /** A bare Fastify hello-world instead of banditry (a baseline). */
  hello?: boolean;
}

export interface BenchServer {
  url: string;
  key: string;
  pid: number;
  /** Runs work and returns the server's CPU time meanwhile (µs). */
  measure<T>(work: () => Promise<T>): Promise<{ result: T; cpuUs: number; mainThreadUs?: number }>;
  stop(): Promise<void>;
}

/** The real server in its own process (bench/helpers/server-child.ts). */
export async function spawnBenchServer(options: ServerChildOptions): Promise<BenchServer> {
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=.tmp/prof" to profile the whole server process;
      // BENCH_PROFILE_DIR=<dir> (read by server-child.ts) profiles only the measured windows
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter((a) => a !== "") ?? []),
      "--import",
      "tsx",
      join(import.meta.dirname, "server-child.ts"),
      JSON.stringify(options),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      void exited.then(() => reject(new Error("bench server exited")));
    });
  const info = JSON.parse(await nextLine()) as { url: string; key: string };
  return {
    url: info.url,
    key: info.key,
    pid: child.pid!,
    async measure(work) {
      child.stdin!.write("mark\n");
      const result = await work();
      const reply = nextLine();
      child.stdin!.write("report\n");
      const { cpuUs, mainThreadUs } = JSON.parse(await reply) as { cpuUs: number; mainThreadUs?: number };
      return mainThreadUs === undefined ? { result, cpuUs } : { result, cpuUs, mainThreadUs };
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export interface JsonClient {
  /** POSTs a JSON text; resolves with the status and the answer's text. */
  post(path: string, body: string): Promise<{ status: number; text: string }>;
  get(path: string): Promise<{ status: number; text: string }>;
  close(): void;
}

/** node:http with keep-alive and at most `connections` sockets: cheap enough to load one server core. */
export function jsonClient(baseUrl: string, key: string, connections: number): JsonClient {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const request = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${key}` };
      if (body !== undefined) {
        headers["content-type"] = "application/json";
        headers["content-length"] = Buffer.byteLength(body);
      }
      const req = http.request({ host: url.hostname, port: url.port, path, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  return {
    post: (path, body) => request("POST", path, body),
    get: (path) => request("GET", path),
    close: () => agent.destroy(),
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const fmt = (x: number): string => Math.round(x).toLocaleString("en-US");

import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const KEY_PATTERN = /bdt_[A-Za-z0-9_-]{43}/;

export interface ServerProcess {
  readonly url: string;
  /** The admin key printed on the first start, else null. */
  readonly key: string | null;
  readonly child: ChildProcess;
  /** Resolves when the process has exited, with its code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Sends the signal and waits for the exit. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnOptions {
  /** Extra `serve` flags, e.g. ["--data-dir", dir] or ["--database-url", url]. */
  args: string[];
  /** Environment on top of this process's (configuration such as BANDITRY_REFRESH_INTERVAL_MS). */
  env?: Record<string, string>;
  /** Wait for the first admin key too (a first start on an empty database). */
  expectKey: boolean;
  /** How long start-up may take on a loaded machine (ms). */
  timeoutMs?: number;
}

/**
 * `banditry serve --port 0 …` as a real process, from the TypeScript sources; resolves once it
 * listens (and has printed its admin key, when one is expected).
 */
export function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "serve", "--port", "0", ...options.args],
    {
      cwd: ROOT,
      env: { ...process.env, BANDITRY_LOG_LEVEL: "warn", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stderr!.on("data", (c) => {
    output += String(c);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let url: string | undefined;
    let key: string | null = null;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server not ready after ${options.timeoutMs ?? 60_000} ms:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    const ready = () => {
      clearTimeout(timer);
      resolve({
        url: url!,
        key,
        child,
        exited,
        output: () => output,
        stop: async (signal) => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    createInterface({ input: child.stdout! }).on("line", (line) => {
      output += `${line}\n`;
      const listening = /^banditry listening on (http:\/\/\S+)/.exec(line);
      if (listening) {
        url = listening[1]!;
        if (!options.expectKey) ready();
        return;
      }
      const printedKey = KEY_PATTERN.exec(line);
      if (url !== undefined && printedKey && options.expectKey && key === null) {
        key = printedKey[0];
        ready();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before it was ready:\n${output}`));
    });
  });
}

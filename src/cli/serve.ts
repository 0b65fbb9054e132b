import type { Command } from "commander";
import type { ConfigOverrides } from "../config.js";
import { startServer } from "../server.js";
import { integerBetween } from "./flag-parsers.js";
import { addStoreOptions, configFromFlags, type StoreFlags } from "./store-options.js";

interface ServeFlags extends StoreFlags {
  port?: number;
  host?: string;
}

const SERVE_HELP = `
Every setting can also come from the environment (flags win): BANDITRY_PORT, BANDITRY_HOST,
BANDITRY_DATA_DIR, BANDITRY_DATABASE_URL, BANDITRY_REFRESH_INTERVAL_MS, BANDITRY_LOG_LEVEL, …
(see src/config.ts). On the first start the server creates an admin API key and prints it once.
SIGTERM or SIGINT stops it gracefully: in-flight requests are answered and their writes committed.`;

/**
 * `banditry serve`: the HTTP API on SQLite (default, ./data) or PostgreSQL. Resolves once the
 * server listens; the open server keeps the process alive, and startServer's signal handlers
 * close it (exit 0) on SIGTERM/SIGINT.
 */
export function registerServe(program: Command): void {
  const cmd = program
    .command("serve")
    .description("Run the HTTP API (prints its URL and, on the first start, the admin API key)")
    .option("--port <port>", "TCP port, 0 = any free port (env BANDITRY_PORT, default 8080)", integerBetween(0, 65535))
    .option("--host <host>", "interface to listen on (env BANDITRY_HOST, default 127.0.0.1)");
  addStoreOptions(cmd)
    .addHelpText("after", SERVE_HELP)
    .action(async (flags: ServeFlags, command: Command) => {
      const overrides: ConfigOverrides = {};
      if (flags.port !== undefined) overrides.port = flags.port;
      if (flags.host !== undefined) overrides.host = flags.host;
      const config = configFromFlags(flags, overrides);
      const out = command.configureOutput().writeOut!;
      await startServer(config, { print: (line) => out(`${line}\n`) });
    });
}

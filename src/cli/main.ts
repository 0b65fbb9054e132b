import { Command } from "commander";
import { runCli } from "./run-cli.js";
import { registerSimulate } from "./simulate.js";

/** The `banditry` command line: one file per command, each registering itself here. */
const program = new Command("banditry")
  .description("Self-hosted Thompson Sampling decision service")
  .exitOverride(); // set before the commands so that they inherit it

registerSimulate(program);

process.exitCode = await runCli(program, process.argv);

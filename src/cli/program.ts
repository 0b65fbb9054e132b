import { Command } from "commander";
import { registerAds } from "./ads.js";
import { registerEvaluate } from "./evaluate.js";
import { registerExperiments } from "./experiments.js";
import { registerExport } from "./export.js";
import { registerKeys } from "./keys.js";
import { registerLoops } from "./loops.js";
import { registerMigrate } from "./migrate.js";
import { registerServe } from "./serve.js";
import { registerSimulate } from "./simulate.js";

/**
 * The `banditry` command line: one file per command, each adding itself here with one line.
 * exitOverride comes before the commands so that they inherit it (run-cli maps exits to codes).
 */
export function buildProgram(): Command {
  const program = new Command("banditry").description("Self-hosted Thompson Sampling decision service").exitOverride();
  registerServe(program);
  registerMigrate(program);
  registerKeys(program);
  registerLoops(program);
  registerExperiments(program);
  registerExport(program);
  registerEvaluate(program);
  registerSimulate(program);
  registerAds(program);
  return program;
}

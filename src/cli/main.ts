import { buildProgram } from "./program.js";
import { runCli } from "./run-cli.js";

// The entry point (bin/banditry.js): commands are registered in program.ts. No process.exit(), so piped output is flushed.
process.exitCode = await runCli(buildProgram(), process.argv);

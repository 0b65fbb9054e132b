import { buildProgram } from "./program.js";
import { runCli } from "./run-cli.js";

// A reader that went away (`banditry export … | head`) is not an error: stop quietly, as Unix tools do.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(0);
});

// The entry point (bin/banditry.js): commands are registered in program.ts. No process.exit(), so piped output is flushed.
process.exitCode = await runCli(buildProgram(), process.argv);

import { type Command, CommanderError } from "commander";
import { isBanditryError } from "../domain/errors.js";
import { USAGE_EXIT_CODE, UsageError } from "./usage-error.js";

/** Codes of parameter errors from the library: the user passed a bad value, so it is a usage error. */
const USAGE_CODES = new Set(["BANDITRY_INVALID_PARAMETER", "BANDITRY_UNKNOWN_POLICY", "BANDITRY_VALIDATION"]);

export interface CliOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const STDIO: CliOutput = {
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
};

/** Routes the output of a command and its subcommands (commands write through cmd.configureOutput()). */
function routeOutput(cmd: Command, io: CliOutput): void {
  cmd.configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr });
  for (const sub of cmd.commands) routeOutput(sub, io);
}

/**
 * Parses argv (node-style: argv[0] node, argv[1] script) and runs the chosen command. Every
 * failure becomes one line on stderr and an exit code (2 for usage errors, 1 otherwise), never a
 * stack trace. Returns the exit code.
 */
export async function runCli(program: Command, argv: readonly string[], io: CliOutput = STDIO): Promise<number> {
  routeOutput(program, io);
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has already printed its message (help and --version exit 0)
      return e.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.writeErr(`error: ${message}\n`);
    if (e instanceof UsageError) return USAGE_EXIT_CODE;
    return isBanditryError(e) && USAGE_CODES.has(e.code) ? USAGE_EXIT_CODE : 1;
  }
}

import { type Command, CommanderError } from "commander";
import { isBanditryError } from "../domain/errors.js";
import { USAGE_EXIT_CODE, UsageError } from "./usage-error.js";

/** Codes of parameter errors from the library: the user passed a bad value, so it is a usage error. */
const USAGE_CODES = new Set(["BANDITRY_INVALID_PARAMETER", "BANDITRY_UNKNOWN_POLICY", "BANDITRY_VALIDATION"]);

/**
 * Parses argv and runs the chosen command. Every failure becomes one line on stderr and an exit
 * code (2 for usage errors, 1 otherwise), never a stack trace. Returns the exit code.
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<number> {
  program.exitOverride();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has already printed its message (help and --version exit 0)
      return e.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return USAGE_EXIT_CODE;
    }
    if (isBanditryError(e)) {
      process.stderr.write(`error: ${e.message}\n`);
      return USAGE_CODES.has(e.code) ? USAGE_EXIT_CODE : 1;
    }
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

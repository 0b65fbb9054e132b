import type { Command } from "commander";
import { parseIsoTime } from "./flag-parsers.js";
import { UsageError } from "./usage-error.js";

export interface TimeRangeFlags {
  from?: number;
  to?: number;
}

/**
 * --from (inclusive) and --to (exclusive), ISO 8601, over the command's `what` times ("decision",
 * "creation"); `toDefault` notes --to's default. The action checks them with checkTimeRange.
 */
export function addTimeRangeFlags(cmd: Command, what: string, toDefault = ""): Command {
  return cmd
    .option("--from <time>", `first ${what} time, ISO 8601 (inclusive)`, parseIsoTime)
    .option("--to <time>", `end of the ${what} times, ISO 8601 (exclusive${toDefault})`, parseIsoTime);
}

/** A usage error naming --to unless --to comes after --from. */
export function checkTimeRange(flags: TimeRangeFlags): void {
  if (flags.from !== undefined && flags.to !== undefined && flags.from >= flags.to) {
    throw new UsageError("--to", `must be after --from (${new Date(flags.from).toISOString()})`);
  }
}

/** Exit code of a command-line usage error (bad flag or value), as in BSD sysexits' EX_USAGE spirit and most CLIs. */
export const USAGE_EXIT_CODE = 2;

/** A bad flag value found after parsing (e.g. two flags that contradict). Printed as one line; exit code 2. */
export class UsageError extends Error {
  readonly flag: string;

  constructor(flag: string, message: string) {
    super(`${flag}: ${message}`);
    this.name = "UsageError";
    this.flag = flag;
  }
}

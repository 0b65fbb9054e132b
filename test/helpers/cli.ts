import assert from "node:assert/strict";
import { buildProgram } from "../../src/cli/program.js";
import { runCli } from "../../src/cli/run-cli.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `banditry <args>` in this process, through the CLI entry (a child process costs a second of start-up here). */
export async function cli(...args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(buildProgram(), ["node", "banditry", ...args], {
    writeOut: (s) => {
      stdout += s;
    },
    writeErr: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}

/** A failure of exit `code` with nothing on stdout and one `error: …` line naming `mention`; `what` labels the case. */
export function assertCliFails(r: CliRun, code: number, mention: string, what: string): void {
  assert.equal(r.code, code, `${what}: exit ${r.code}, stderr ${r.stderr}`);
  assert.equal(r.stdout, "", `${what}: nothing on stdout`);
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, `${what}: one line, got ${r.stderr}`);
  assert.match(lines[0]!, /^error: /, `${what}: ${lines[0]}`);
  assert.ok(lines[0]!.includes(mention), `${what}: "${lines[0]}" should name ${mention}`);
}

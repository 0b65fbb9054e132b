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

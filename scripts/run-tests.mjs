// Runs every test/**/*.test.ts with node's test runner (through tsx) and fails when no
// test executed, so an empty or mis-globbed run can never pass.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = find("test").sort();
if (filter.length > 0) files = files.filter((f) => filter.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error("run-tests: no test files found");
  process.exit(1);
}
mkdirSync(".tmp", { recursive: true });
const tapFile = `.tmp/tap-${process.pid}.txt`;
const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: ["ignore", "inherit", "inherit"] },
);
child.on("exit", async (code, signal) => {
  const { readFileSync } = await import("node:fs");
  const tap = readFileSync(tapFile, "utf8");
  const tests = Number(/^# tests (\d+)/m.exec(tap)?.[1] ?? 0);
  const pass = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  const fail = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0);
  console.log(`${pass} passed, ${fail} failed`);
  if (tests === 0) {
    console.error("run-tests: no test executed");
    process.exit(1);
  }
  process.exit(code ?? (signal ? 1 : 0));
});

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { assertCliFails, type CliRun, cli } from "../helpers/cli.js";

/** Runs `banditry simulate <args>` in a child process, from the TypeScript sources. */
function spawnSimulate(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "simulate", ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The same command in this process (a child costs a second of start-up on this machine). */
const simulateHere = (...args: string[]): Promise<CliRun> => cli("simulate", ...args);

const small = ["--horizon", "2000", "--reps", "3", "--seed", "5"];

describe("banditry simulate (child process)", () => {
  it("prints one JSON object of the documented shape; a table without --json; exit 2 on a bad flag", async () => {
    const [json, table, bad] = await Promise.all([
      spawnSimulate("--json", "--arms", "4", ...small),
      spawnSimulate("--horizon", "500", "--reps", "2", "--batch", "10", "--delay", "5"),
      spawnSimulate("--json", "--arms", "0"),
    ]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stderr, "");
    const out = JSON.parse(json.stdout);
    assert.equal(out.policy, "thompson");
    assert.equal(out.arms, 4);
    assert.deepEqual(out.means, [0.4, 0.4, 0.4, 0.5]);
    assert.equal(out.horizon, 2000);
    assert.equal(out.reps, 3);
    assert.equal(out.batch, 1);
    assert.equal(out.delay, 0);
    for (const k of ["mean", "se", "median"]) assert.equal(typeof out.regret[k], "number", k);
    assert.ok(out.regret.mean > 0 && out.regret.mean < 2000 * 0.1);
    assert.ok(out.bestArmShare > 0.25 && out.bestArmShare <= 1);
    assert.ok(Math.abs(out.laiRobbins.C - 3 * 4.9663496164754575) < 1e-9);
    assert.ok(Math.abs(out.laiRobbins.ClnT - out.laiRobbins.C * Math.log(2000)) < 1e-9);
    assert.ok(out.checkpoints.length > 5);
    for (const c of out.checkpoints) assert.deepEqual(Object.keys(c).sort(), ["regretMean", "se", "t"]);
    assert.equal(out.checkpoints.at(-1).t, 2000);
    assert.equal(out.checkpoints.at(-1).regretMean, out.regret.mean);
    assert.ok(out.wallSeconds > 0);

    // the same flags in this process give the same figures (determinism across processes)
    const here = JSON.parse((await simulateHere("--json", "--arms", "4", ...small)).stdout);
    delete out.wallSeconds;
    delete here.wallSeconds;
    assert.deepEqual(here, out);

    assert.equal(table.code, 0, table.stderr);
    assert.equal(table.stderr, ""); // no progress bar: stderr is a pipe
    assert.match(table.stdout, /^thompson on 10 Bernoulli arms \(best 0\.5, others 0\.4\)/);
    assert.match(table.stdout, /batch 10, delay 5/);
    assert.match(table.stdout, /regret \(pseudo\)\s+[\d.,]+ ± [\d.,]+ se/);
    assert.match(table.stdout, /Lai–Robbins\s+C = 44\.70/);

    assertCliFails(bad, 2, "--arms", "--arms 0");
  });
});

describe("banditry simulate (in process)", () => {
  it("takes explicit --probs, policies and drift", async () => {
    const r = await simulateHere(
      "--json",
      "--probs",
      "0.7,0.8,0.9",
      "--policy",
      "uniform",
      "--drift",
      "walk:0.001",
      "--drift",
      "change:100,200",
      "--decay-half-life",
      "50",
      ...small,
    );
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(r.stdout);
    assert.equal(p.policy, "uniform");
    assert.equal(p.arms, 3);
    assert.deepEqual(p.means, [0.7, 0.8, 0.9]);
    assert.equal(p.decayHalfLife, 50);
    assert.deepEqual(p.drift, [
      { kind: "walk", sigma: 0.001 },
      { kind: "change", at: [100, 200] },
    ]);
  });

  it("is deterministic per --seed", async () => {
    const a = JSON.parse((await simulateHere("--json", ...small, "--seed", "9")).stdout);
    const b = JSON.parse((await simulateHere("--json", ...small, "--seed", "9")).stdout);
    const c = JSON.parse((await simulateHere("--json", ...small, "--seed", "10")).stdout);
    assert.deepEqual(a.repRegrets, b.repRegrets);
    assert.deepEqual(a.checkpoints, b.checkpoints);
    assert.notDeepEqual(a.repRegrets, c.repRegrets);
  });

  it("rejects bad flags with one line naming the flag and exit code 2", async () => {
    const cases: [string[], string][] = [
      [["--policy", "nope"], "--policy"],
      [["--arms", "0"], "--arms"],
      [["--arms", "2.5"], "--arms"],
      [["--best", "1.5"], "--best"],
      [["--gap", "0.6"], "--gap"],
      [["--probs", "0.7,x,0.9"], "--probs"],
      [["--probs", "0.7,1.9"], "--probs"],
      [["--probs", "0.7,0.9", "--arms", "3"], "--arms"],
      [["--horizon", "-1"], "--horizon"],
      [["--horizon", "ten"], "--horizon"],
      [["--reps", "0"], "--reps"],
      [["--batch", "0"], "--batch"],
      [["--delay", "-2"], "--delay"],
      [["--decay-half-life", "0"], "--decay-half-life"],
      [["--reward", "poisson"], "--reward"],
      [["--drift", "spin:3"], "--drift"],
      [["--drift", "walk:-1"], "--drift"],
      [["--drift", "change:5000", "--horizon", "100"], "--drift"],
      [["--epsilon", "2"], "--epsilon"],
      [["--checkpoints", "cubic"], "--checkpoints"],
      [["--frobnicate"], "--frobnicate"],
    ];
    for (const [args, flag] of cases) assertCliFails(await simulateHere(...args, "--json"), 2, flag, args.join(" "));
  });
});

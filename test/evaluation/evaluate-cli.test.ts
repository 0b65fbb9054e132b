import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { EvaluationRecord } from "../../src/evaluation/evaluation-types.js";
import { createStores } from "../../src/stores/create-stores.js";
import { assertCliFails, cli } from "../helpers/cli.js";
import { tempDataDir } from "../helpers/sqlite.js";
import { T0, TRUE_MEANS, uniformLog } from "./synthetic-log.js";

const tmp = tempDataDir();
let dir: string;
before(async () => {
  dir = (await tmp).dir;
  const stores = await createStores({ kind: "sqlite", dataDir: dir, synchronous: "NORMAL" });
  await stores.migrate();
  await uniformLog(stores, "ab", 1500);
  await stores.close();
});
after(async () => (await tmp).remove());

/** `banditry evaluate` of the logged experiment ab. */
const evaluateAb = (...args: string[]) => cli("evaluate", "--experiment", "ab", "--data-dir", dir, ...args);

describe("banditry evaluate", () => {
  it("prints each candidate's estimates with intervals beside the on-policy value", async () => {
    const r = await evaluateAb(
      "--policy",
      "fixed:b",
      "--policy",
      "thompson=--draws 100 --whatever 1",
      "--policy",
      'epsilon-greedy={"epsilon": 0.3}',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^evaluation [0-9a-f-]{36} of experiment ab: the beginning to \d{4}-/);
    assert.match(r.stdout, /decisions: 1500 logged, 1500 counted \(0 without a propensity\)/);
    assert.match(r.stdout, /on-policy \(logged policy\) average reward, 95% CI: 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\]/);
    assert.match(r.stdout, /POLICY\s+EVENTS\s+IPS \[95% CI\]\s+SNIPS \[95% CI\]\s+DR \[95% CI\]\s+ESS/);
    for (const name of ["fixed:b", "thompson", "epsilon-greedy"]) {
      assert.match(r.stdout, new RegExp(`\\n${name}\\s+1500\\s+0\\.\\d{4} \\[`), `a row for ${name}: ${r.stdout}`);
    }
    assert.match(r.stdout, /thompson: ignored arguments --whatever 1/);
  });

  it("--json gives the saved record; --from/--to select the decisions", async () => {
    const r = await evaluateAb(
      "--from",
      new Date(T0 + 5000).toISOString(),
      "--to",
      new Date(T0 + 15_000).toISOString(),
      "--policy",
      "fixed:b",
      "--json",
    );
    assert.equal(r.code, 0, r.stderr);
    const record = JSON.parse(r.stdout) as EvaluationRecord;
    assert.equal(record.status, "succeeded");
    assert.equal(record.decisions?.total, 500, "rounds 5..14 of 50 decisions");
    const ips = record.results![0]!.ips;
    assert.ok(ips.lower <= TRUE_MEANS.b! && TRUE_MEANS.b! <= ips.upper, JSON.stringify(ips));
    // the default candidates of a segment experiment
    const d = await evaluateAb("--json");
    assert.equal(d.code, 0, d.stderr);
    assert.deepEqual(
      (JSON.parse(d.stdout) as EvaluationRecord).results!.map((p) => p.policy.name),
      ["current", "thompson", "uniform"],
    );
  });

  it("fails with one line and exit code 2 on bad input", async () => {
    const cases: [string[], string][] = [
      [["evaluate", "--data-dir", dir], "--experiment"],
      [["evaluate", "--experiment", "nope", "--data-dir", dir], "nope"],
      [["evaluate", "--experiment", "ab", "--data-dir", dir, "--policy", "greedy"], "policies[0].name"],
      [["evaluate", "--experiment", "ab", "--data-dir", dir, "--policy", "=x"], "--policy"],
      [["evaluate", "--experiment", "ab", "--data-dir", dir, "--policy", "ucb1={oops"], "not valid JSON"],
      [["evaluate", "--experiment", "ab", "--data-dir", dir, "--from", "2024-03-02", "--to", "2024-03-01"], "--to"],
      [["evaluate", "--experiment", "ab", "--obd", "--data-dir", dir], "--obd"],
    ];
    for (const [args, mention] of cases) {
      assertCliFails(await cli(...args), 2, mention, args.join(" "));
    }
  });

  it("--obd prints both campaigns' IPS, SNIPS and DR estimates beside the on-policy click rate", async () => {
    const r = await cli("evaluate", "--obd", "--draws", "2000");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Open Bandit Dataset \(.*obd\)/);
    assert.match(r.stdout, /\s+men\s+women\n/);
    const interval = "0\\.\\d{5} \\[-?0\\.\\d{5}, 0\\.\\d{5}\\]";
    for (const label of ["IPS", "SNIPS", "DR"]) {
      assert.match(
        r.stdout,
        new RegExp(`${label} BTS click rate on random logs, 95% CI\\s+${interval}\\s+${interval}\\n`),
        `${label} for both campaigns`,
      );
    }
    assert.match(
      r.stdout,
      new RegExp(`on-policy BTS click rate \\(bts logs\\), 95% CI\\s+${interval}\\s+${interval}\\n`),
    );
  });
});

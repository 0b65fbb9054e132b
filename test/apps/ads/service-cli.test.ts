import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { buildProgram } from "../../../src/cli/program.js";
import { runCli } from "../../../src/cli/run-cli.js";
import { tempDataDir } from "../../helpers/sqlite.js";

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(buildProgram(), ["node", "banditry", ...args], {
    writeOut: (t) => {
      out += t;
    },
    writeErr: (t) => {
      err += t;
    },
  });
  return { code, out, err };
}

describe("banditry ads (CLI)", () => {
  const tmp = tempDataDir();
  after(async () => (await tmp).remove());

  it("ads demo runs simulated days through the local Amazon Ads server and prints weekly figures", async () => {
    const r = await cli("ads", "demo", "--days", "4", "--keywords", "12", "--seed", "5", "--warmup", "14");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /12 keywords, seed 5, target ACoS 25%/);
    assert.match(r.out, /then 4 days of sync → optimize → approve \(\d+ bid changes\)/);
    const rows = r.out.split("\n").filter((l) => /^(warm-up|optimized) \d/.test(l));
    assert.equal(rows.length, 3, r.out); // two warm-up weeks, one (partial) optimized week
    assert.match(r.out, /WEEK\s+DAYS\s+CLICKS\s+SPEND\s+SALES\s+ACOS\s+PROFIT/);
    for (const row of rows) assert.match(row, /\d+\.\d\d\s+\d+\.\d\d\s+(\d+\.\d%|-)\s+-?\d+\.\d\d$/, row);
  });

  it("ads schedule create, list and delete; errors name the flag or setting", async () => {
    const dir = (await tmp).dir;
    const created = await cli(
      "ads",
      "schedule",
      "create",
      "--profile",
      "123456789012345678",
      "--cadence",
      "weekly",
      "--auto-execute",
      "--min-confidence",
      "0.9",
      "--json",
      "--data-dir",
      dir,
    );
    assert.equal(created.code, 0, created.err);
    const schedule = JSON.parse(created.out) as { id: string; profileId: string; autoExecute: boolean };
    assert.deepEqual([schedule.profileId, schedule.autoExecute], ["123456789012345678", true]);
    const listed = await cli("ads", "schedule", "list", "--data-dir", dir);
    assert.match(
      listed.out,
      new RegExp(`${schedule.id}\\s+123456789012345678\\s+weekly\\s+balanced\\s+25\\.0%\\s+≥ 0\\.9`),
    );
    assert.equal((await cli("ads", "schedule", "delete", schedule.id, "--data-dir", dir)).code, 0);
    const gone = await cli("ads", "schedule", "delete", schedule.id, "--data-dir", dir);
    assert.equal(gone.code, 1);
    assert.match(gone.err, /no schedule/);
    const bad = await cli("ads", "schedule", "create", "--profile", "12", "--cadence", "monthly", "--data-dir", dir);
    assert.equal(bad.code, 2, bad.err);
    assert.match(bad.err, /cadence must be one of hourly, daily, weekly/);
    const noCreds = await cli("ads", "sync", "123", "--data-dir", dir);
    assert.notEqual(noCreds.code, 0);
    assert.match(noCreds.err, /BANDITRY_AMAZON_ADS_CLIENT_ID/);
  });
});

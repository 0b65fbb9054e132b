import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { cli } from "../../helpers/cli.js";
import { tempDataDir } from "../../helpers/sqlite.js";

describe("banditry ads (CLI)", () => {
  const tmp = tempDataDir();
  after(async () => (await tmp).remove());

  it("ads demo runs simulated days through the local Amazon Ads server and prints weekly figures", async () => {
    const r = await cli("ads", "demo", "--days", "4", "--keywords", "12", "--seed", "5", "--warmup", "14");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /12 keywords, seed 5, target ACoS 25%/);
    assert.match(r.stdout, /then 4 days of sync → optimize → approve \(\d+ bid changes\)/);
    const rows = r.stdout.split("\n").filter((l) => /^(warm-up|optimized) \d/.test(l));
    assert.equal(rows.length, 3, r.stdout); // two warm-up weeks, one (partial) optimized week
    assert.match(r.stdout, /WEEK\s+DAYS\s+CLICKS\s+SPEND\s+SALES\s+ACOS\s+PROFIT/);
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
    assert.equal(created.code, 0, created.stderr);
    const schedule = JSON.parse(created.stdout) as { id: string; profileId: string; autoExecute: boolean };
    assert.deepEqual([schedule.profileId, schedule.autoExecute], ["123456789012345678", true]);
    const listed = await cli("ads", "schedule", "list", "--data-dir", dir);
    assert.match(
      listed.stdout,
      new RegExp(`${schedule.id}\\s+123456789012345678\\s+weekly\\s+balanced\\s+25\\.0%\\s+≥ 0\\.9`),
    );
    assert.equal((await cli("ads", "schedule", "delete", schedule.id, "--data-dir", dir)).code, 0);
    const gone = await cli("ads", "schedule", "delete", schedule.id, "--data-dir", dir);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /no schedule/);
    const bad = await cli("ads", "schedule", "create", "--profile", "12", "--cadence", "monthly", "--data-dir", dir);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /cadence must be one of hourly, daily, weekly/);
    const noCreds = await cli("ads", "sync", "123", "--data-dir", dir);
    assert.notEqual(noCreds.code, 0);
    assert.match(noCreds.stderr, /BANDITRY_AMAZON_ADS_CLIENT_ID/);
  });
});

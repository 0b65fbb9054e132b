import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { btsActionDistribution } from "../../src/apps/obd/bts-action-distribution.js";
import { defaultObdDir } from "../../src/apps/obd/default-obd-dir.js";
import { evaluateObd } from "../../src/apps/obd/evaluate-obd.js";
import { formatObdEvaluation } from "../../src/apps/obd/format-obd-evaluation.js";
import { loadBtsPrior } from "../../src/apps/obd/load-bts-prior.js";
import { loadObdItemContext } from "../../src/apps/obd/load-obd-item-context.js";
import { loadObdLogs } from "../../src/apps/obd/load-obd-logs.js";
import { obdLoggedDecisions } from "../../src/apps/obd/obd-logged-decisions.js";
import { parseCsvLine } from "../../src/apps/obd/parse-csv-line.js";
import { BanditryError } from "../../src/domain/errors.js";
import { validateLoggedDecisions } from "../../src/stats/evaluation/logged-decisions.js";
import { createRng } from "../../src/stats/rng.js";

const DIR = defaultObdDir();

function rejectsWith(code: string, field: string) {
  return (e: unknown) => {
    assert.ok(e instanceof BanditryError, `expected a BanditryError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.field, field, e.message);
    return true;
  };
}

describe("parseCsvLine", () => {
  it("splits plain and quoted fields, with escaped quotes, empty fields and a trailing \\r", () => {
    assert.deepEqual(parseCsvLine("a,b,,c\r"), ["a", "b", "", "c"]);
    assert.deepEqual(parseCsvLine('1,"x, y","say ""hi""",'), ["1", "x, y", 'say "hi"', ""]);
  });
});

describe("OBD loader on the shared files", () => {
  it("finds the shared folder relative to the repository", () => {
    assert.ok(DIR.endsWith(join("shared", "data", "obd")), DIR);
  });

  for (const [campaign, items] of [
    ["men", 34],
    ["women", 46],
  ] as const) {
    it(`${campaign}: 10,000 records per log, all columns, positions 1-3, propensities`, async () => {
      const [random, bts, context] = await Promise.all([
        loadObdLogs(DIR, "random", campaign),
        loadObdLogs(DIR, "bts", campaign),
        loadObdItemContext(DIR, "random", campaign),
      ]);
      for (const logs of [random, bts]) {
        assert.equal(logs.records, 10_000);
        assert.equal(logs.columns.length, 10 + items); // index, 5 named, 4 user features, affinities
        assert.deepEqual(logs.columns.slice(0, 6), [
          "",
          "timestamp",
          "item_id",
          "position",
          "click",
          "propensity_score",
        ]);
        assert.equal(logs.userFeatures.length, 4);
        assert.equal(logs.affinityColumns, items);
        assert.equal(logs.affinities.length, 10_000 * items);
        assert.deepEqual([...new Set(logs.positions)].sort(), [1, 2, 3]);
        assert.ok(
          logs.itemIds.every((a) => a < items),
          "item ids below the item count",
        );
        assert.ok(
          logs.clicks.every((c) => c === 0 || c === 1),
          "clicks are 0/1",
        );
        assert.equal(validateLoggedDecisions(obdLoggedDecisions(logs)), 10_000);
      }
      assert.equal(context.itemIds.length, items);
      // uniform random logging: 1/items for the shown item at its position
      assert.ok(
        random.propensities.every((p) => Math.abs(p - 1 / items) < 1e-15),
        "random propensities are 1/items",
      );
      // the sample's click rates, as the README states
      const rate = (c: Float64Array) => c.reduce((a, b) => a + b, 0) / c.length;
      assert.equal(rate(random.clicks), 0.0046);
      assert.equal(rate(bts.clicks), campaign === "men" ? 0.0069 : 0.0046);
      assert.ok(new Set(bts.propensities).size > 1000, "bts propensities vary");
    });
  }

  it("reads prior_bts.json: one Beta per item", async () => {
    const prior = await loadBtsPrior(DIR);
    assert.equal(prior.men.alpha.length, 34);
    assert.equal(prior.men.beta.length, 34);
    assert.equal(prior.women.alpha.length, 46);
    assert.equal(prior.men.alpha[13], 518);
  });

  it("names a missing folder, a malformed value and a broken prior", async () => {
    await assert.rejects(loadObdLogs("/nonexistent/obd", "random", "men"), rejectsWith("BANDITRY_NOT_FOUND", "dir"));
    const tmp = mkdtempSync(join(tmpdir(), "obd-"));
    after(() => rmSync(tmp, { recursive: true, force: true }));
    const src = join(DIR, "random", "men", "men.csv");
    const lines = readFileSync(src, "utf8").split("\n").slice(0, 4);
    const f = lines[2]!.split(",");
    f[5] = "0"; // propensity_score
    lines[2] = f.join(",");
    mkdirSync(join(tmp, "random", "men"), { recursive: true });
    cpSync(join(DIR, "random", "men", "item_context.csv"), join(tmp, "random", "men", "item_context.csv"));
    writeFileSync(join(tmp, "random", "men", "men.csv"), lines.join("\n"));
    await assert.rejects(loadObdLogs(tmp, "random", "men"), (e: unknown) => {
      rejectsWith("BANDITRY_VALIDATION", "propensity_score")(e);
      assert.match((e as Error).message, /men\.csv:3: propensity_score must be in \(0, 1\], got "0"/);
      return true;
    });
    writeFileSync(join(tmp, "prior_bts.json"), JSON.stringify({ men: { alpha: [1, 2], beta: [1] } }));
    await assert.rejects(loadBtsPrior(tmp), rejectsWith("BANDITRY_VALIDATION", "men.beta"));
  });
});

describe("btsActionDistribution", () => {
  it("puts a dominant item first, and equal items uniformly in every position", () => {
    const draws = 20_000;
    const d = btsActionDistribution({ alpha: [1, 1, 1, 1000], beta: [1, 1, 1, 1] }, createRng(1), { draws, slots: 2 });
    assert.equal(d.byPosition.length, 2);
    assert.ok(d.byPosition[0]![3]! > 0.99, `P(dominant first) = ${d.byPosition[0]![3]}`);
    for (let i = 0; i < 3; i++) {
      assert.ok(Math.abs(d.byPosition[1]![i]! - 1 / 3) < 0.02, `P(item ${i} second) = ${d.byPosition[1]![i]}`);
    }
    for (const row of d.byPosition) {
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12, "row sums to 1");
    }
    const again = btsActionDistribution({ alpha: [1, 1, 1, 1000], beta: [1, 1, 1, 1] }, createRng(1), {
      draws,
      slots: 2,
    });
    assert.deepEqual(again, d, "seeded: reproducible");
    assert.throws(
      () => btsActionDistribution({ alpha: [1], beta: [1] }, createRng(1)),
      rejectsWith("BANDITRY_INVALID_PARAMETER", "slots"),
    );
  });
});

describe("evaluateObd", () => {
  it("runs end to end on one campaign: BTS off-policy on random logs vs on-policy on bts logs", async () => {
    const r = await evaluateObd({ campaigns: ["men"], draws: 2000, seed: 3 });
    assert.equal(r.campaigns.length, 1);
    const men = r.campaigns[0]!;
    assert.equal(men.campaign, "men");
    assert.equal(men.actionDistribution.draws, 2000);
    assert.equal(men.onPolicy.value, 0.0069);
    assert.equal(men.randomPolicy.value, 0.0046);
    for (const k of ["ips", "snips", "dr"] as const) {
      const e = men.estimates[k];
      assert.equal(e.records, 10_000);
      assert.ok(e.value > 0 && e.value < 0.05, `${k} = ${e.value}`);
      assert.ok(e.lower < e.value && e.value < e.upper, `${k} interval around its value`);
      assert.equal(men.onPolicyInside[k], e.lower <= 0.0069 && 0.0069 <= e.upper);
    }
    // uniform logging over 34 items: the mean weight is near 1 whatever the target
    assert.ok(Math.abs(men.estimates.ips.meanWeight - 1) < 0.1, `mean weight ${men.estimates.ips.meanWeight}`);
    assert.equal(men.byPosition?.length, 3);
    const text = formatObdEvaluation(r);
    assert.match(text, /DR BTS click rate on random logs, 95% CI/);
    assert.match(text, /Monte Carlo from prior_bts\.json/);
  });
});

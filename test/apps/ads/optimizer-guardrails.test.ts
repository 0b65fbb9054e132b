import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AdsOptimizer } from "../../../src/apps/ads/optimizer/ads-optimizer.js";
import { applyBidGuardrails } from "../../../src/apps/ads/optimizer/bid-guardrails.js";
import type { KeywordDay, KeywordInfo, OptimizeInput } from "../../../src/apps/ads/optimizer/optimizer-types.js";
import { createEngine, type Engine } from "../../../src/engine/engine.js";
import { createStores } from "../../../src/stores/create-stores.js";
import type { Stores } from "../../../src/stores/stores.js";

describe("applyBidGuardrails", () => {
  const market = { marketMin: 0.02, marketMax: 1000 };

  it("caps a step at ±maxChange and names the cap", () => {
    const up = applyBidGuardrails(1, 2, { ...market, maxChange: 0.25 });
    assert.equal(up.bid, 1.25);
    assert.match(up.bound.join(), /step cap \+25%/);
    const down = applyBidGuardrails(1, 0.1, { ...market, maxChange: 0.25 });
    assert.equal(down.bid, 0.75);
    assert.match(down.bound.join(), /step cap −25%/);
    const inside = applyBidGuardrails(1, 1.1, { ...market, maxChange: 0.25 });
    assert.deepEqual(inside, { bid: 1.1, bound: [] });
  });

  it("applies the user's limits after the step cap", () => {
    const r = applyBidGuardrails(1, 1.2, { ...market, maxChange: 0.5, userMax: 1.05 });
    assert.equal(r.bid, 1.05);
    assert.match(r.bound.join(), /user max bid 1\.05/);
    const low = applyBidGuardrails(1, 0.9, { ...market, maxChange: 0.5, userMin: 0.95 });
    assert.equal(low.bid, 0.95);
    assert.match(low.bound.join(), /user min bid 0\.95/);
  });

  it("keeps every bid inside the marketplace's limits, whatever the user asks", () => {
    const jp = applyBidGuardrails(2, 1, { maxChange: 0.9, marketMin: 2, marketMax: 100000, userMin: 1 });
    assert.equal(jp.bid, 2);
    assert.match(jp.bound.join(), /marketplace min bid 2\.00/);
    const us = applyBidGuardrails(900, 5000, { ...market, maxChange: 10, userMax: 2000 });
    assert.equal(us.bid, 1000);
    assert.match(us.bound.join(), /marketplace max bid 1000\.00/);
  });
});

/** A real engine on a temporary SQLite store. */
async function openEngine(): Promise<{ engine: Engine; stores: Stores; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "banditry-ads-opt-"));
  const stores = await createStores({ kind: "sqlite", dataDir: dir, synchronous: "NORMAL" });
  await stores.migrate();
  const engine = createEngine({ stores, options: { seed: 7, refreshIntervalMs: 0, defaultRewardIntervalMs: 0 } });
  await engine.start();
  return {
    engine,
    stores,
    close: async () => {
      await engine.close();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const kw = (id: string, bid: number, extra: Partial<KeywordInfo> = {}): KeywordInfo => ({
  keywordId: id,
  adGroupId: "10",
  campaignId: "1",
  keywordText: `kw ${id}`,
  matchType: "EXACT",
  state: "ENABLED",
  bid,
  ...extra,
});

/** `days` days before 2026-03-01 of steady data: clicks/day, CPC 0.4 × bid, revenue per click 2. */
function steady(keywordId: string, bid: number, clicksPerDay: number, days = 40): KeywordDay[] {
  const out: KeywordDay[] = [];
  for (let d = 1; d <= days; d++) {
    const date = new Date(Date.parse("2026-03-01T00:00:00Z") - d * 86_400_000).toISOString().slice(0, 10);
    if (clicksPerDay === 0) continue;
    out.push({
      keywordId,
      date,
      impressions: clicksPerDay * 250,
      clicks: clicksPerDay,
      cost: Math.round(clicksPerDay * bid * 0.6 * 100) / 100,
      sales: clicksPerDay * 2,
      orders: clicksPerDay * 0.08,
      bid,
    });
  }
  return out;
}

describe("AdsOptimizer guardrails", () => {
  let env: Awaited<ReturnType<typeof openEngine>>;
  let optimizer: AdsOptimizer;
  before(async () => {
    env = await openEngine();
    optimizer = new AdsOptimizer({ decisions: env.engine, decisionLog: env.stores.eventStore });
  });
  after(() => env.close());

  const input = (over: Partial<OptimizeInput>): OptimizeInput => ({
    profileId: "111",
    countryCode: "US",
    today: "2026-03-01",
    keywords: [],
    history: [],
    changes: [],
    settings: { strategy: "balanced", targetAcos: 0.25 },
    planId: "p1",
    ...over,
  });

  it("without discovery, holds a keyword below the minimum clicks and spend, naming the guardrail, without asking the bandit", async () => {
    const plan = await optimizer.optimize(
      input({
        keywords: [kw("1", 0.5)],
        history: steady("1", 0.5, 0.2, 30),
        planId: "thin-0",
        settings: { strategy: "balanced", targetAcos: 0.25, discoverThinKeywords: false },
      }),
    );
    assert.equal(plan[0]!.action, "hold");
    assert.equal(plan[0]!.eventId, null, "no decision for a held keyword");
    assert.equal(plan[0]!.proposedBid, 0.5);
    assert.match(plan[0]!.reason, /too little data/);
  });

  const discover = { strategy: "balanced" as const, targetAcos: 0.25, discoverThinKeywords: true };

  it("with discovery, holds a thin keyword at its discovery ceiling, without asking the bandit", async () => {
    // revenue per click 2, target 25%: discovery stops at 2 × 0.25 × 2 = 1.00
    const plan = await optimizer.optimize(
      input({ keywords: [kw("1", 1.2)], history: steady("1", 1.2, 0.2, 30), planId: "thin", settings: discover }),
    );
    assert.equal(plan.length, 1);
    assert.equal(plan[0]!.action, "hold");
    assert.equal(plan[0]!.eventId, null, "no decision for a held keyword");
    assert.equal(plan[0]!.proposedBid, 1.2);
    assert.match(plan[0]!.reason, /too little data.*discovery ceiling 1\.00/);
  });

  it("with discovery, bids a thin keyword under its ceiling up one capped step, without asking the bandit", async () => {
    const plan = await optimizer.optimize(
      input({
        keywords: [kw("1", 0.5), kw("2", 0.9)],
        history: steady("1", 0.5, 0.2, 30),
        planId: "discover",
        settings: discover,
      }),
    );
    assert.equal(plan[0]!.action, "change");
    assert.equal(plan[0]!.proposedBid, 0.62, "+25% (balanced step cap), rounded toward the current bid");
    assert.equal(plan[0]!.eventId, null, "a discovery step is no bandit decision");
    assert.match(plan[0]!.reason, /discover: too little data.*0\.50 → 0\.62/);
    assert.equal(plan[1]!.action, "change");
    assert.equal(plan[1]!.proposedBid, 1, "never above the ceiling");
    const later = await optimizer.optimize(
      input({
        keywords: [kw("1", 0.62)],
        history: steady("1", 0.5, 0.2, 30),
        changes: [{ keywordId: "1", date: "2026-02-27", fromBid: 0.5, toBid: 0.62, eventId: null }],
        planId: "discover-2",
        settings: discover,
      }),
    );
    assert.match(later[0]!.reason, /cooldown/, "a discovery step starts a cooldown like any change");
  });

  it("holds a keyword during its cooldown", async () => {
    const plan = await optimizer.optimize(
      input({
        keywords: [kw("2", 0.5)],
        history: steady("2", 0.5, 3),
        changes: [{ keywordId: "2", date: "2026-02-27", fromBid: 0.45, toBid: 0.5, eventId: null }],
        planId: "cool",
      }),
    );
    assert.equal(plan[0]!.action, "hold");
    assert.match(plan[0]!.reason, /cooldown, bid changed 2 day\(s\) ago \(cooldown 5 days\)/);
  });

  it("acts once the cooldown is over, within the step cap, and explains the blend", async () => {
    const plan = await optimizer.optimize(
      input({
        keywords: [kw("3", 0.3)],
        history: steady("3", 0.3, 3),
        changes: [{ keywordId: "3", date: "2026-02-20", fromBid: 0.28, toBid: 0.3, eventId: null }],
        planId: "act",
      }),
    );
    const item = plan[0]!;
    assert.notEqual(item.eventId, null, "a decision was logged");
    assert.ok(item.armId?.startsWith("x"), `arm ${item.armId}`);
    assert.ok(Math.abs(item.proposedBid / 0.3 - 1) <= 0.25 + 1e-9, `step ${item.proposedBid} within ±25%`);
    assert.match(item.reason, /bandit arm x[\d.]+ .*model bid .*blend/);
    assert.ok(item.confidence >= 0 && item.confidence <= 1, `confidence ${item.confidence}`);
  });

  it("keeps the proposal inside the user's and the marketplace's limits and names the binding one", async () => {
    const plan = await optimizer.optimize(
      input({
        keywords: [kw("4", 0.3)],
        history: steady("4", 0.3, 3),
        settings: { strategy: "balanced", targetAcos: 0.25, maxBid: 0.3, maxChange: 1 },
        planId: "limits",
      }),
    );
    assert.ok(plan[0]!.proposedBid <= 0.3, `proposed ${plan[0]!.proposedBid} ≤ user max 0.30`);
    if (plan[0]!.proposedBid === 0.3 && plan[0]!.modelBid !== null && plan[0]!.modelBid > 0.3) {
      assert.match(plan[0]!.reason, /user max bid 0\.30/);
    }
    const jp = await optimizer.optimize(
      input({
        countryCode: "JP",
        profileId: "222",
        keywords: [kw("5", 2)],
        history: steady("5", 2, 0.1, 30).map((d) => ({ ...d, clicks: 50, cost: 60 })),
        settings: { strategy: "aggressive", targetAcos: 0.25, minBid: 1 },
        planId: "jp",
      }),
    );
    assert.ok(jp[0]!.proposedBid >= 2, `JP bids stay ≥ 2, got ${jp[0]!.proposedBid}`);
  });

  it("refuses an unknown marketplace with a field-named error", async () => {
    await assert.rejects(
      optimizer.optimize(input({ countryCode: "XX" })),
      (e: { code?: string; field?: string }) => e.code === "BANDITRY_INVALID_PARAMETER" && e.field === "countryCode",
    );
  });
});

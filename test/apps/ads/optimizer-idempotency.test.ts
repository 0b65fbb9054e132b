import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { AdsOptimizer, eventIdFor } from "../../../src/apps/ads/optimizer/ads-optimizer.js";
import { banditExperimentId } from "../../../src/apps/ads/optimizer/bandit-experiment.js";
import type { KeywordDay, KeywordInfo, OptimizeInput } from "../../../src/apps/ads/optimizer/optimizer-types.js";
import { createEngine, type Engine } from "../../../src/engine/engine.js";
import { createStores } from "../../../src/stores/create-stores.js";
import type { Stores } from "../../../src/stores/stores.js";

const keywords: KeywordInfo[] = ["1", "2", "3"].map((id, i) => ({
  keywordId: id,
  adGroupId: "20",
  campaignId: "2",
  keywordText: `kw ${id}`,
  matchType: "EXACT",
  state: "ENABLED",
  bid: 0.4 + 0.1 * i,
}));
const history: KeywordDay[] = keywords.flatMap((k) =>
  Array.from({ length: 30 }, (_, d) => ({
    keywordId: k.keywordId,
    date: new Date(Date.parse("2026-04-01T00:00:00Z") - (d + 1) * 86_400_000).toISOString().slice(0, 10),
    impressions: 600,
    clicks: 3,
    cost: 3 * k.bid * 0.7,
    sales: 3 * 2.4,
    orders: 0.3,
    bid: k.bid,
  })),
);

describe("optimizer decisions are deterministic and never logged twice", () => {
  let dir: string;
  let stores: Stores;
  let engine: Engine;
  let optimizer: AdsOptimizer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "banditry-ads-idem-"));
    stores = await createStores({ kind: "sqlite", dataDir: dir, synchronous: "NORMAL" });
    await stores.migrate();
    engine = createEngine({ stores, options: { seed: 3, refreshIntervalMs: 0, defaultRewardIntervalMs: 0 } });
    await engine.start();
    optimizer = new AdsOptimizer({ decisions: engine, decisionLog: stores.eventStore });
  });
  after(async () => {
    await engine.close();
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const input: OptimizeInput = {
    profileId: "333",
    countryCode: "US",
    today: "2026-04-01",
    keywords,
    history,
    changes: [],
    settings: { strategy: "balanced", targetAcos: 0.25 },
    planId: "plan-42",
  };

  it("derives event ids from plan and keyword, and re-running the plan reuses the logged decisions", async () => {
    const first = await optimizer.optimize(input);
    assert.deepEqual(
      first.map((i) => i.eventId),
      keywords.map((k) => eventIdFor("plan-42", k.keywordId)),
    );
    const decisionsAfterFirst = engine.counters.decisions;
    assert.equal(decisionsAfterFirst, 3, "one decision per keyword");
    const again = await optimizer.optimize(input);
    assert.equal(engine.counters.decisions, decisionsAfterFirst, "no second decision logged");
    assert.deepEqual(again, first, "same plan, item for item");
    // a fresh engine on the same store (another process) reuses them from the store
    const other = createEngine({ stores, options: { seed: 99, refreshIntervalMs: 0, defaultRewardIntervalMs: 0 } });
    await other.start();
    const third = await new AdsOptimizer({ decisions: other, decisionLog: stores.eventStore }).optimize(input);
    assert.equal(other.counters.decisions, 0, "no decision from the second instance");
    assert.deepEqual(
      third.map((i) => i.armId),
      first.map((i) => i.armId),
    );
    await other.close();
  });

  it("logs decisions deferred: nothing counts until the service activates one", async () => {
    const plan = await optimizer.optimize({ ...input, planId: "plan-43" });
    const experimentId = banditExperimentId("333", "balanced");
    const rewards = async () =>
      (await engine.stats(experimentId)).segments[0]!.arms.find((a) => a.armId === plan[0]!.armId)!.rewards;
    const before = await rewards();
    await engine.reward(plan[0]!.eventId!, 0.4);
    assert.equal(await rewards(), before, "a reward of a deferred decision is stored, not learned from");
    await engine.activate(plan[0]!.eventId!);
    const arm = { rewards: (await rewards()) - before };
    assert.equal(arm.rewards, 1, "the activated decision's reward counts");
  });
});

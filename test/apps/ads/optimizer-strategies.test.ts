import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveSettings } from "../../../src/apps/ads/optimizer/resolve-settings.js";
import { STRATEGY_PRESETS } from "../../../src/apps/ads/optimizer/strategy-presets.js";

describe("strategies", () => {
  it("balanced has the default multipliers", () => {
    assert.deepEqual(
      resolveSettings({ strategy: "balanced", targetAcos: 0.25 }).multipliers,
      [0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.5],
    );
  });

  it("aggressive moves further and sooner than balanced, conservative less and later", () => {
    const [a, b, c] = (["aggressive", "balanced", "conservative"] as const).map((s) =>
      resolveSettings({ strategy: s, targetAcos: 0.2 }),
    );
    assert.ok(a!.maxChange > b!.maxChange && b!.maxChange > c!.maxChange, "step caps");
    assert.ok(a!.cooldownDays < b!.cooldownDays && b!.cooldownDays < c!.cooldownDays, "cooldowns");
    assert.ok(a!.minClicks < b!.minClicks && b!.minClicks < c!.minClicks, "evidence needed");
    const spread = (m: number[]) => Math.max(...m) / Math.min(...m);
    assert.ok(spread(a!.multipliers) > spread(b!.multipliers), "aggressive arms wider");
    assert.ok(spread(b!.multipliers) > spread(c!.multipliers), "conservative arms narrower");
    assert.ok(a!.effectiveTarget > 0.2 && b!.effectiveTarget === 0.2 && c!.effectiveTarget < 0.2, "targets");
    for (const s of Object.values(STRATEGY_PRESETS)) assert.ok(s.multipliers.includes(1), "holding is an arm");
  });

  it("settings override the preset; user multipliers always include 1", () => {
    const s = resolveSettings({ strategy: "conservative", targetAcos: 0.3, multipliers: [1.2, 0.8], maxChange: 0.5 });
    assert.deepEqual(s.multipliers, [0.8, 1, 1.2]);
    assert.equal(s.maxChange, 0.5);
    assert.ok(Math.abs(s.margin - 0.48) < 1e-12, "default margin 1.6 × target");
  });

  it("rejects bad settings naming the field", () => {
    const bad = (settings: unknown, field: string) =>
      assert.throws(
        () => resolveSettings(settings as never),
        (e: { field?: string }) => e.field === field,
        field,
      );
    bad({ strategy: "yolo", targetAcos: 0.2 }, "settings.strategy");
    bad({ strategy: "balanced", targetAcos: -1 }, "settings.targetAcos");
    bad({ strategy: "balanced", targetAcos: 0.2, modelWeight: 2 }, "settings.modelWeight");
    bad({ strategy: "balanced", targetAcos: 0.2, multipliers: [0] }, "settings.multipliers[0]");
    bad({ strategy: "balanced", targetAcos: 0.2, minBid: 2, maxBid: 1 }, "settings.maxBid");
  });
});

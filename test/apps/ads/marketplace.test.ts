import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { LAG_PMF, lagCdf } from "../../../src/apps/ads/marketplace/attribution-lag.js";
import {
  expectedCpc,
  expectedOutcome,
  type KeywordTruth,
  winProbability,
} from "../../../src/apps/ads/marketplace/auction-model.js";
import type { CatalogSpec } from "../../../src/apps/ads/marketplace/catalog.js";
import { generateCatalog } from "../../../src/apps/ads/marketplace/generate-catalog.js";
import { CLICK_SETTLE_DAYS, Marketplace } from "../../../src/apps/ads/marketplace/marketplace.js";
import { sampleBinomial, samplePoisson } from "../../../src/apps/ads/marketplace/sampling.js";
import { createRng } from "../../../src/stats/rng.js";

const truthArb = fc.record({
  searchVolume: fc.double({ min: 1, max: 1e5, noNaN: true }),
  competitorMedianBid: fc.double({ min: 0.05, max: 50, noNaN: true }),
  competitorLogSd: fc.double({ min: 0.1, max: 1.5, noNaN: true }),
  topOfSearchBidRatio: fc.double({ min: 1, max: 5, noNaN: true }),
  topOfSearchCtrLift: fc.double({ min: 1, max: 6, noNaN: true }),
  ctr: fc.double({ min: 1e-4, max: 0.05, noNaN: true }),
  cvr: fc.double({ min: 0.01, max: 0.5, noNaN: true }),
  aov: fc.double({ min: 1, max: 500, noNaN: true }),
});
const bidArb = fc.double({ min: 0.02, max: 1000, noNaN: true });

/** One campaign, one ad group, the given keywords (all exact), generous budget. */
function smallCatalog(keywords: { bid: number; truth?: Partial<KeywordTruth> }[], dailyBudget = 1e6): CatalogSpec {
  return {
    campaigns: [
      {
        name: "c",
        dailyBudget,
        adGroups: [
          {
            name: "g",
            defaultBid: 0.5,
            keywords: keywords.map((k, i) => ({ text: `kw ${i}`, matchType: "EXACT" as const, ...k })),
          },
        ],
      },
    ],
  };
}

const busy: Partial<KeywordTruth> = {
  searchVolume: 5000,
  competitorMedianBid: 0.6,
  competitorLogSd: 0.5,
  topOfSearchBidRatio: 2,
  topOfSearchCtrLift: 3,
  ctr: 0.01,
  cvr: 0.15,
  aov: 30,
};

describe("auction model", () => {
  it("a higher bid never wins fewer auctions (expected impressions are monotone)", () => {
    fc.assert(
      fc.property(truthArb, bidArb, bidArb, (truth, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return winProbability(lo, truth) <= winProbability(hi, truth);
      }),
    );
  });

  it("returns diminish: the win probability saturates below 1", () => {
    fc.assert(
      fc.property(truthArb, (truth) => {
        const m = truth.competitorMedianBid;
        const gainNear = winProbability(2 * m, truth) - winProbability(m, truth);
        const gainFar = winProbability(8 * m, truth) - winProbability(4 * m, truth);
        return gainFar <= gainNear && winProbability(1e9, truth) <= 1;
      }),
    );
  });

  it("the expected cost per click never exceeds the bid and grows with it", () => {
    fc.assert(
      fc.property(truthArb, bidArb, bidArb, (truth, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const cLo = expectedCpc(lo, truth, 0.01, 0.02);
        const cHi = expectedCpc(hi, truth, 0.01, 0.02);
        return cLo <= lo + 1e-12 && cHi <= hi + 1e-12 && cLo <= cHi + 1e-9;
      }),
    );
  });

  it("bidding up keeps buying clicks past winning every auction (top of search), at a rising ACoS", () => {
    fc.assert(
      fc.property(truthArb, bidArb, bidArb, (truth, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const oLo = expectedOutcome(lo, truth, 1, 0.01, 0.02);
        const oHi = expectedOutcome(hi, truth, 1, 0.01, 0.02);
        const acosRises = !(oLo.sales > 0) || oLo.cost / oLo.sales <= (oHi.cost / oHi.sales) * (1 + 1e-9);
        return oLo.clicks <= oHi.clicks * (1 + 1e-12) && acosRises;
      }),
    );
    const t = busy as KeywordTruth;
    const shown = expectedOutcome(2.5 * t.competitorMedianBid, t, 1, 0.01, 0.02);
    const top = expectedOutcome(8 * t.competitorMedianBid, t, 1, 0.01, 0.02);
    assert.ok(
      shown.winProbability > 0.95,
      `wins nearly every auction at 2.5× the competing bid (${shown.winProbability})`,
    );
    assert.ok(top.clicks > 1.15 * shown.clicks, `and still buys clicks: ${shown.clicks} → ${top.clicks}`);
    assert.ok(top.topOfSearchShare > shown.topOfSearchShare, "through the top of search");
  });

  it("generated keywords: a 25% ACoS is within reach for most, out of reach (capped) for a minority", () => {
    const m = new Marketplace({
      seed: 21,
      catalog: generateCatalog(createRng(21), { campaigns: 5, adGroupsPerCampaign: 5, keywordsPerAdGroup: 8 }, 1),
    });
    let reachable = 0;
    let cheapAtTarget = 0;
    for (const k of m.keywords()) {
      const t = m.truth(k.keywordId);
      const rpc = t.cvr * t.aov;
      const ceiling = expectedOutcome(1000, t, 1, 0.01, 0.02);
      if (ceiling.cpc >= 0.25 * rpc) reachable++;
      // competing bids sit around revenue per click × a typical target ACoS
      if (t.competitorMedianBid < 0.25 * rpc) cheapAtTarget++;
    }
    const n = m.keywords().length;
    assert.ok(reachable / n > 0.75 && reachable / n < 0.98, `${reachable}/${n} keywords can reach 25% ACoS`);
    assert.ok(
      cheapAtTarget / n > 0.4 && cheapAtTarget / n < 0.9,
      `${cheapAtTarget}/${n} median competing bids under 25% of rpc`,
    );
  });
});

describe("attribution lag", () => {
  it("about 90% of orders arrive within 7 days and 99% within 14", () => {
    assert.ok(Math.abs(LAG_PMF.reduce((a, b) => a + b, 0) - 1) < 1e-12, "a distribution");
    assert.ok(lagCdf(6) > 0.88 && lagCdf(6) < 0.94, `7-day share ${lagCdf(6)}`);
    assert.ok(lagCdf(13) > 0.98, `14-day share ${lagCdf(13)}`);
  });

  it("a day's sales keep arriving in the days after it, up to the 14-day figure", () => {
    const m = new Marketplace({
      seed: 3,
      catalog: smallCatalog([{ bid: 1.2, truth: { ...busy, searchVolume: 20_000, cvr: 0.3 } }]),
    });
    const [kw] = m.keywords();
    m.advanceDay();
    const day = m.lastCompleteDate!;
    const seen: number[] = [];
    for (let age = 0; age < 16; age++) {
      seen.push(m.keywordDay(kw!.keywordId, day)!.purchases14d);
      m.advanceDay();
    }
    const final = m.keywordDay(kw!.keywordId, day, { final: true })!;
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, `never decreasing: ${seen.join(",")}`);
    assert.ok(seen[0]! < final.purchases14d, `day-0 report ${seen[0]} below the final ${final.purchases14d}`);
    assert.equal(seen[15], final.purchases14d);
    assert.ok(final.purchases1d <= final.purchases7d && final.purchases7d <= final.purchases14d, "windows nest");
    assert.ok(final.purchases14d <= final.purchases30d, "windows nest");
  });

  it("clicks settle: invalid clicks drop out after a few days and are never added", () => {
    const m = new Marketplace({ seed: 4, catalog: smallCatalog([{ bid: 1.5, truth: busy }]), invalidClickRate: 0.05 });
    const id = m.keywords()[0]!.keywordId;
    m.advanceDay();
    const day = m.lastCompleteDate!;
    const fresh = m.keywordDay(id, day)!;
    m.advanceDays(CLICK_SETTLE_DAYS);
    const settled = m.keywordDay(id, day)!;
    assert.ok(settled.clicks < fresh.clicks, `settled ${settled.clicks} < fresh ${fresh.clicks}`);
    assert.ok(settled.cost < fresh.cost, "invalid clicks are refunded");
  });
});

describe("marketplace simulator", () => {
  it("is deterministic: the same seed and bids give the same rows", () => {
    const run = (seed: number) => {
      const m = new Marketplace({ seed, size: { campaigns: 2, adGroupsPerCampaign: 2, keywordsPerAdGroup: 5 } });
      m.advanceDays(10);
      m.setKeywordBid(m.keywords()[3]!.keywordId, 1.11);
      m.advanceDays(5);
      return { ids: m.keywords().map((k) => k.keywordId), rows: m.reportRows("2026-01-01", "2026-01-31") };
    };
    const a = run(42);
    assert.deepEqual(run(42), a);
    assert.notDeepEqual(run(43).rows, a.rows);
    assert.ok(a.rows.length > 0, "rows for keywords with impressions");
  });

  it("charges no more than the bid per click, on every keyword-day", () => {
    const m = new Marketplace({ seed: 5, size: { campaigns: 3, adGroupsPerCampaign: 2, keywordsPerAdGroup: 6 } });
    m.advanceDays(30);
    const rows = m.reportRows("2026-01-01", "2026-01-30");
    const withClicks = rows.filter((r) => r.clicks > 0);
    assert.ok(withClicks.length > 50, `enough clicked keyword-days (${withClicks.length})`);
    for (const r of withClicks) assert.ok(r.cost <= r.bid * r.clicks + 1e-9, `cost ${r.cost} ≤ ${r.bid} × ${r.clicks}`);
  });

  it("a higher bid buys more impressions on the same days (common random numbers)", () => {
    const totals = (bid: number) => {
      const m = new Marketplace({
        seed: 6,
        catalog: smallCatalog([
          { bid, truth: busy },
          { bid: 0.7, truth: busy },
        ]),
      });
      m.advanceDays(14);
      const [a, b] = m.keywords();
      const sum = (id: string) =>
        m
          .reportRows("2026-01-01", "2026-01-14")
          .filter((r) => r.keywordId === id)
          .reduce((s, r) => s + r.impressions, 0);
      return { changed: sum(a!.keywordId), other: sum(b!.keywordId), cpc: m.expectedDay(a!.keywordId).cpc };
    };
    const low = totals(0.4);
    const high = totals(1.2);
    assert.ok(high.changed > low.changed, `${high.changed} > ${low.changed}`);
    assert.equal(high.other, low.other, "the other keyword's luck is untouched");
    assert.ok(high.cpc <= 1.2 && high.cpc > low.cpc, "second price: pay more, never above the bid");
  });

  it("weekly seasonality: weekends bring more demand", () => {
    const m = new Marketplace({ seed: 7, catalog: smallCatalog([{ bid: 0.8, truth: busy }]) });
    const id = m.keywords()[0]!.keywordId;
    const saturday = m.expectedDay(id, { date: "2026-01-03" }).impressions;
    const tuesday = m.expectedDay(id, { date: "2026-01-06" }).impressions;
    assert.ok(saturday > tuesday, `${saturday} > ${tuesday}`);
  });

  it("paces spend to the campaign's daily budget", () => {
    const m = new Marketplace({
      seed: 8,
      catalog: smallCatalog([{ bid: 3, truth: { ...busy, searchVolume: 50_000 } }], 20),
    });
    const days = m.advanceDays(20);
    const mean = days.reduce((s, d) => s + d.cost, 0) / days.length;
    const unconstrained = m.expectedDay(m.keywords()[0]!.keywordId).cost;
    assert.ok(unconstrained > 100, `the keyword alone would spend ${unconstrained}/day`);
    assert.ok(mean > 12 && mean < 28, `mean daily spend ${mean} near the budget of 20`);
  });

  it("paused keywords get no impressions; bids apply from the next day", () => {
    const m = new Marketplace({ seed: 9, catalog: smallCatalog([{ bid: 1, truth: busy }]) });
    const id = m.keywords()[0]!.keywordId;
    m.setKeywordState(id, "PAUSED");
    m.advanceDay();
    assert.equal(m.keywordDay(id, m.lastCompleteDate!)!.impressions, 0);
    m.setKeywordState(id, "ENABLED");
    m.setKeywordBid(id, 0.9);
    const dayBefore = m.lastCompleteDate!;
    m.advanceDay();
    assert.equal(m.keywordDay(id, dayBefore)!.bid, 1);
    assert.equal(m.keywordDay(id, m.lastCompleteDate!)!.bid, 0.9);
    m.setKeywordBid(id, null);
    assert.equal(m.effectiveBid(id), 0.5, "back to the ad group's default");
  });

  it("refuses bids outside the marketplace's limits", () => {
    const m = new Marketplace({ seed: 10, countryCode: "JP", catalog: smallCatalog([{ bid: 50 }]) });
    const id = m.keywords()[0]!.keywordId;
    assert.throws(
      () => m.setKeywordBid(id, 1),
      (e: Error & { code?: string }) => e.code === "BANDITRY_INVALID_PARAMETER",
    );
    m.setKeywordBid(id, 2);
    assert.equal(m.effectiveBid(id), 2);
  });

  it("ids are 18-digit strings, beyond 2^53", () => {
    const m = new Marketplace({ seed: 12 });
    for (const id of [
      m.profile.profileId,
      ...m.keywords().map((k) => k.keywordId),
      ...m.campaigns().map((c) => c.campaignId),
    ]) {
      assert.match(id, /^[1-8]\d{17}$/);
    }
  });
});

describe("count samplers", () => {
  const moments = (draw: () => number, n: number) => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    return { mean, variance: s2 / n - mean * mean };
  };

  for (const mean of [0.3, 5, 40, 2500]) {
    it(`Poisson(${mean}) has its mean and variance`, () => {
      const rng = createRng(mean * 1000);
      const n = 20_000;
      const m = moments(() => samplePoisson(rng, mean), n);
      const se = Math.sqrt(mean / n);
      assert.ok(Math.abs(m.mean - mean) < 5 * se, `mean ${m.mean} vs ${mean}`);
      assert.ok(Math.abs(m.variance / mean - 1) < 0.08, `variance ${m.variance} vs ${mean}`);
    });
  }

  for (const [trials, p] of [
    [10, 0.3],
    [400, 0.01],
    [5000, 0.2],
    [300, 0.9],
  ] as const) {
    it(`Binomial(${trials}, ${p}) has its mean and variance and stays in range`, () => {
      const rng = createRng(trials + p * 1e6);
      const n = 20_000;
      let inRange = true;
      const m = moments(() => {
        const x = sampleBinomial(rng, trials, p);
        if (x < 0 || x > trials || !Number.isInteger(x)) inRange = false;
        return x;
      }, n);
      const mean = trials * p;
      const variance = trials * p * (1 - p);
      assert.ok(inRange, "every draw an integer in 0…n");
      assert.ok(Math.abs(m.mean - mean) < 5 * Math.sqrt(variance / n), `mean ${m.mean} vs ${mean}`);
      assert.ok(Math.abs(m.variance / variance - 1) < 0.08, `variance ${m.variance} vs ${variance}`);
    });
  }
});

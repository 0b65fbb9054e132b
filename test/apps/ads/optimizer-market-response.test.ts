import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { auctionCurve } from "../../../src/apps/ads/optimizer/auction-curve.js";
import { BidTimeline } from "../../../src/apps/ads/optimizer/bid-timeline.js";
import { fitMarketResponse } from "../../../src/apps/ads/optimizer/fit-market-response.js";
import { historiesByKeyword } from "../../../src/apps/ads/optimizer/keyword-history.js";
import { predictDay, revenuePerClick } from "../../../src/apps/ads/optimizer/keyword-response.js";
import { modelBid } from "../../../src/apps/ads/optimizer/model-bid.js";
import type { KeywordDay, KeywordInfo } from "../../../src/apps/ads/optimizer/optimizer-types.js";
import { sampleStandardNormal } from "../../../src/stats/distributions/normal.js";
import { createRng } from "../../../src/stats/rng.js";

const TODAY = 20_500; // epoch day
const date = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const kw = (id: string, adGroupId: string, bid: number): KeywordInfo => ({
  keywordId: id,
  adGroupId,
  campaignId: "c",
  keywordText: id,
  matchType: "EXACT",
  state: "ENABLED",
  bid,
});

/** Days from a known curve: volume × win share clicks (noisy), CPC = E[C|C<b] with 10% noise, given CVR and order value. */
function synthetic(
  id: string,
  curve: { mu: number; sigma: number; volume: number; cvr: number; aov: number },
  bids: number[],
  seed: number,
): KeywordDay[] {
  const rng = createRng(seed);
  const out: KeywordDay[] = [];
  for (let d = 1; d <= 56; d++) {
    const bid = bids[Math.floor(((d - 1) * bids.length) / 56)]!;
    const mean = curve.volume * auctionCurve.winShare(bid, curve.mu, curve.sigma);
    const clicks = Math.max(0, Math.round(mean * Math.exp(0.2 * sampleStandardNormal(rng))));
    const cpc = bid * auctionCurve.cpcRatio(bid, curve.mu, curve.sigma) * Math.exp(0.1 * sampleStandardNormal(rng));
    const orders = Math.round(clicks * curve.cvr);
    out.push({
      keywordId: id,
      date: date(TODAY - 60 + d),
      impressions: clicks * 200,
      clicks,
      cost: clicks * cpc,
      sales: orders * curve.aov,
      orders,
      bid,
    });
  }
  return out;
}

describe("market-response model", () => {
  const curve = { mu: Math.log(0.6), sigma: 0.5, volume: 40, cvr: 0.1, aov: 25 };

  it("recovers a known bid → clicks and CPC curve from noisy data", () => {
    const history = synthetic("k", curve, [0.3, 0.5, 0.8, 1.2], 1);
    const keywords = [kw("k", "g", 1.2)];
    const fit = fitMarketResponse({
      keywords,
      histories: historiesByKeyword(history),
      bids: new BidTimeline(keywords, []),
      today: TODAY,
    }).get("k")!;
    assert.ok(Math.abs(fit.mu - curve.mu) < 0.15, `mu ${fit.mu} vs ${curve.mu}`);
    assert.ok(Math.abs(fit.sigma - curve.sigma) <= 0.1 + 1e-9, `sigma ${fit.sigma}`);
    for (const bid of [0.4, 0.7, 1.0]) {
      const p = predictDay(fit, bid);
      const clicks = curve.volume * auctionCurve.winShare(bid, curve.mu, curve.sigma);
      const cpc = bid * auctionCurve.cpcRatio(bid, curve.mu, curve.sigma);
      assert.ok(Math.abs(p.clicks / clicks - 1) < 0.2, `clicks at ${bid}: ${p.clicks} vs ${clicks}`);
      assert.ok(Math.abs(p.cpc / cpc - 1) < 0.1, `cpc at ${bid}: ${p.cpc} vs ${cpc}`);
    }
    assert.ok(Math.abs(revenuePerClick(fit) / 2.5 - 1) < 0.15, `revenue per click ${revenuePerClick(fit)}`);
  });

  it("its bid maximizes profit while keeping expected ACoS under the target", () => {
    const r = {
      keywordId: "k",
      mu: curve.mu,
      sigma: curve.sigma,
      clicksAtFullShare: curve.volume,
      cvrAlpha: 100,
      cvrBeta: 900,
      aov: 25,
      aovLogSd: 0.01,
      clicks: 1000,
      orders: 100,
      cpcPoints: 4,
    };
    const bid = modelBid(r, { target: 0.25, margin: 0.4, minBid: 0.02, maxBid: 1000 })!;
    const at = predictDay(r, bid);
    assert.ok(at.cpc / 2.5 <= 0.25 + 1e-9, `ACoS ${at.cpc / 2.5}`);
    const profit = (b: number) => {
      const p = predictDay(r, b);
      return p.clicks * (2.5 * 0.4 - p.cpc);
    };
    for (let b = 0.05; b < 5; b *= 1.05) {
      if (predictDay(r, b).cpc / 2.5 <= 0.25) assert.ok(profit(b) <= profit(bid) * 1.006, `bid ${b} beats ${bid}`);
    }
  });

  it("pools a thin keyword toward its ad group (conversion and landscape), not toward its own few clicks", () => {
    const history: KeywordDay[] = [];
    const keywords: KeywordInfo[] = [];
    for (let i = 0; i < 6; i++) {
      history.push(...synthetic(`g${i}`, curve, [0.5, 0.7], 10 + i));
      keywords.push(kw(`g${i}`, "g", 0.7));
    }
    // the thin keyword: 4 clicks, 2 orders (raw conversion 50%) at an expensive CPC
    history.push({
      keywordId: "thin",
      date: date(TODAY - 20),
      impressions: 500,
      clicks: 4,
      cost: 4 * 0.69,
      sales: 50,
      orders: 2,
      bid: 0.7,
    });
    keywords.push(kw("thin", "g", 0.7));
    keywords.push(kw("none", "g", 0.7));
    const fits = fitMarketResponse({
      keywords,
      histories: historiesByKeyword(history),
      bids: new BidTimeline(keywords, []),
      today: TODAY,
    });
    const thin = fits.get("thin")!;
    const cvr = thin.cvrAlpha / (thin.cvrAlpha + thin.cvrBeta);
    assert.ok(cvr < 0.2 && cvr > 0.08, `thin keyword's conversion pooled to the group's 10%, got ${cvr}`);
    const none = fits.get("none")!;
    assert.ok(Math.abs(none.mu - curve.mu) < 0.2, `keyword without clicks takes the group's landscape: ${none.mu}`);
    assert.ok(Math.abs(revenuePerClick(none) / 2.5 - 1) < 0.2, `and its revenue per click ${revenuePerClick(none)}`);
  });
});

import { auctionCurve } from "./auction-curve.js";
import type { BidTimeline } from "./bid-timeline.js";
import type { KeywordHistory } from "./keyword-history.js";
import type { KeywordResponse } from "./keyword-response.js";
import type { KeywordInfo } from "./optimizer-types.js";
import { empiricalPriorStrength, type RateEvidence } from "./rate-pooling.js";
import { SETTLE_LAG, settledBefore } from "./settle-lag.js";

export interface FitInput {
  keywords: readonly KeywordInfo[];
  histories: ReadonlyMap<string, KeywordHistory>;
  bids: BidTimeline;
  /** Epoch day of the plan. */
  today: number;
  /** Days of history used (default 60). */
  lookbackDays?: number;
}

/** Sd of ln(cost per click) of one click: CPCs vary from auction to auction. */
const CPC_LOG_SD = 0.3;
/** Prior sd of a keyword's ln(median competing bid) around its ad group's. */
const MU_PRIOR_SD = 0.5;
const SIGMA_GRID = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
const DEFAULT_SIGMA = 0.5;
const SIGMA_FIT_KEYWORDS = 50;
/** Pseudo-orders of the ad group's order value in a keyword's estimate. */
const AOV_PRIOR_ORDERS = 2;
/** Log-sd of one order's value around the keyword's mean. */
const ORDER_VALUE_LOG_SD = 0.4;
/** Pseudo-days of the ad group's clicks-at-full-share in a keyword's estimate. */
const VOLUME_PRIOR_DAYS = 3;

interface CpcPoint {
  logBid: number;
  /** ln(average CPC / bid) ≤ 0. */
  logRatio: number;
  clicks: number;
}

interface Group {
  clicks: number;
  orders: number;
  sales: number;
  muSum: number;
  muWeight: number;
  volumeClicks: number;
  volumeShare: number;
}

/**
 * Fits every keyword's market response from report history with empirical-Bayes pooling
 * toward its ad group (ad group toward campaign, campaign toward the profile):
 * - landscape: sigma profile-wide (least squares over keywords with several bids), mu per
 *   keyword by penalized least squares of ln(CPC / bid) against the landscape's E[C | C < b]/b,
 *   the penalty pulling it toward the ad group's mean mu (a keyword without clicks takes it);
 * - conversion rate: beta posterior whose prior is the ad group's rate (itself pooled toward
 *   the campaign's and the profile's) with a strength fitted by the method of moments;
 * - order value: the ad group's value worth AOV_PRIOR_ORDERS orders plus the keyword's own;
 * - volume: clicks per day at full share, the keyword's own with VOLUME_PRIOR_DAYS days of the
 *   ad group's.
 * Clicks and cost count from days whose clicks are settled, orders and sales only from days
 * whose attribution is (SETTLE_LAG).
 */
export function fitMarketResponse(input: FitInput): Map<string, KeywordResponse> {
  const lookback = input.lookbackDays ?? 60;
  // days before the first report day (the account's start) are not zero-click days
  let first = Number.POSITIVE_INFINITY;
  for (const h of input.histories.values()) first = Math.min(first, h.rows()[0]?.day ?? first);
  const from = Math.max(input.today - lookback, Number.isFinite(first) ? first : input.today - lookback);
  const clicksTo = settledBefore(input.today, SETTLE_LAG.clicks);
  const salesTo = settledBefore(input.today, SETTLE_LAG.sales);
  const points = new Map<string, CpcPoint[]>();
  const own = new Map<string, { clicks: number; orders: number; sales: number; share: number; volClicks: number }>();
  for (const k of input.keywords) {
    const h = input.histories.get(k.keywordId);
    const byBid = new Map<number, { cost: number; clicks: number }>();
    const rows = h ? h.rows() : [];
    for (const { day, row } of rows) {
      if (day < from || day >= clicksTo || row.clicks <= 0) continue;
      const bid = input.bids.bidOn(k.keywordId, day, row.bid);
      const key = Math.round(bid * 100);
      const b = byBid.get(key) ?? { cost: 0, clicks: 0 };
      b.cost += row.cost;
      b.clicks += row.clicks;
      byBid.set(key, b);
    }
    const pts: CpcPoint[] = [];
    for (const [cents, b] of byBid) {
      if (!(b.cost > 0)) continue;
      const bid = cents / 100;
      pts.push({ logBid: Math.log(bid), logRatio: Math.min(0, Math.log(b.cost / b.clicks / bid)), clicks: b.clicks });
    }
    points.set(k.keywordId, pts);
    const sales = h ? h.totals(from, salesTo) : undefined;
    const clicks = h ? h.totals(from, clicksTo) : undefined;
    own.set(k.keywordId, {
      clicks: sales?.clicks ?? 0,
      orders: sales?.orders ?? 0,
      sales: sales?.sales ?? 0,
      share: 0,
      volClicks: clicks?.clicks ?? 0,
    });
  }

  const sigma = fitSigma(points);
  const muPrior = profileMuPrior(input.keywords, points);

  // pass 1: each keyword toward the profile; then groups' means; pass 2: toward its ad group
  const firstPass = new Map<string, number>();
  for (const k of input.keywords) {
    firstPass.set(k.keywordId, fitMu(points.get(k.keywordId)!, sigma, muPrior, 1));
  }
  const groups = new Map<string, Group>();
  const group = (id: string): Group => {
    let g = groups.get(id);
    if (!g) {
      g = { clicks: 0, orders: 0, sales: 0, muSum: 0, muWeight: 0, volumeClicks: 0, volumeShare: 0 };
      groups.set(id, g);
    }
    return g;
  };
  const profile = group("profile");
  for (const k of input.keywords) {
    const o = own.get(k.keywordId)!;
    const pts = points.get(k.keywordId)!;
    const weight = pts.reduce((s, p) => s + p.clicks, 0);
    const mu = firstPass.get(k.keywordId)!;
    for (const g of [group(`ag:${k.adGroupId}`), group(`cp:${k.campaignId}`), profile]) {
      g.clicks += o.clicks;
      g.orders += o.orders;
      g.sales += o.sales;
      g.muSum += weight * mu;
      g.muWeight += weight;
    }
  }

  // volume needs the landscape: share of auctions won on each settled day, at that day's bid
  const mus = new Map<string, number>();
  for (const k of input.keywords) {
    const ag = groups.get(`ag:${k.adGroupId}`)!;
    const cp = groups.get(`cp:${k.campaignId}`)!;
    const prior =
      ag.muWeight > 0 ? ag.muSum / ag.muWeight : cp.muWeight > 0 ? cp.muSum / cp.muWeight : profileMu(profile, muPrior);
    const mu = fitMu(points.get(k.keywordId)!, sigma, prior, MU_PRIOR_SD);
    mus.set(k.keywordId, mu);
    let share = 0;
    const h = input.histories.get(k.keywordId);
    for (let d = from; d < clicksTo; d++) {
      share += auctionCurve.winShare(input.bids.bidOn(k.keywordId, d, h?.row(d)?.bid), mu, sigma);
    }
    const o = own.get(k.keywordId)!;
    o.share = share;
    for (const g of [ag, cp, profile]) {
      g.volumeClicks += o.volClicks;
      g.volumeShare += share;
    }
  }

  // conversion: profile → campaign → ad group → keyword, each level a beta prior for the next
  const pRate = profile.clicks > 0 ? Math.max(1e-4, Math.min(0.99, profile.orders / profile.clicks)) : 0.1;
  const units: RateEvidence[] = input.keywords.map((k) => ({
    successes: own.get(k.keywordId)!.orders,
    trials: own.get(k.keywordId)!.clicks,
  }));
  const strength = empiricalPriorStrength(units, pRate);
  const pooled = (successes: number, trials: number, prior: number) =>
    (successes + strength * prior) / (trials + strength);
  const pAov = profile.orders > 0 ? profile.sales / profile.orders : 0;

  const out = new Map<string, KeywordResponse>();
  for (const k of input.keywords) {
    const o = own.get(k.keywordId)!;
    const ag = groups.get(`ag:${k.adGroupId}`)!;
    const cp = groups.get(`cp:${k.campaignId}`)!;
    const cpRate = pooled(cp.orders, cp.clicks, pRate);
    const agRate = pooled(ag.orders, ag.clicks, cpRate);
    const cpAov = (cp.sales + AOV_PRIOR_ORDERS * pAov) / (cp.orders + AOV_PRIOR_ORDERS);
    const agAov = (ag.sales + AOV_PRIOR_ORDERS * cpAov) / (ag.orders + AOV_PRIOR_ORDERS);
    const aov = (o.sales + AOV_PRIOR_ORDERS * agAov) / (o.orders + AOV_PRIOR_ORDERS);
    const agVolume = ag.volumeShare > 0 ? ag.volumeClicks / ag.volumeShare : 0;
    const volume = (o.volClicks + VOLUME_PRIOR_DAYS * agVolume) / (o.share + VOLUME_PRIOR_DAYS);
    out.set(k.keywordId, {
      keywordId: k.keywordId,
      mu: mus.get(k.keywordId)!,
      sigma,
      clicksAtFullShare: volume,
      cvrAlpha: o.orders + strength * agRate,
      cvrBeta: o.clicks - o.orders + strength * (1 - agRate),
      aov,
      aovLogSd: ORDER_VALUE_LOG_SD / Math.sqrt(o.orders + AOV_PRIOR_ORDERS),
      clicks: o.clicks,
      orders: o.orders,
      cpcPoints: points.get(k.keywordId)!.length,
    });
  }
  return out;
}

/** Without any CPC data: a landscape whose median competing bid is the keywords' mean bid. */
function profileMuPrior(keywords: readonly KeywordInfo[], points: Map<string, CpcPoint[]>): number {
  let s = 0;
  let n = 0;
  for (const pts of points.values()) {
    for (const p of pts) {
      s += p.clicks * p.logBid;
      n += p.clicks;
    }
  }
  if (n > 0) return s / n;
  const bids = keywords.filter((k) => k.bid > 0);
  return bids.length > 0 ? bids.reduce((a, k) => a + Math.log(k.bid), 0) / bids.length : 0;
}

function profileMu(profile: Group, fallback: number): number {
  return profile.muWeight > 0 ? profile.muSum / profile.muWeight : fallback;
}

/** Weighted squared error of the points' ln(CPC/bid) for a landscape (mu, sigma), in units of 1/CPC_LOG_SD². */
function sse(points: readonly CpcPoint[], mu: number, sigma: number): number {
  let e = 0;
  for (const p of points) {
    const r = Math.log(Math.max(1e-12, auctionCurve.cpcRatio(Math.exp(p.logBid), mu, sigma)));
    e += p.clicks * (p.logRatio - r) ** 2;
  }
  return e / (CPC_LOG_SD * CPC_LOG_SD);
}

/** Penalized least squares for mu: coarse grid, then golden-section refinement. */
export function fitMu(points: readonly CpcPoint[], sigma: number, prior: number, priorSd: number): number {
  if (points.length === 0) return prior;
  const f = (mu: number) => sse(points, mu, sigma) + ((mu - prior) / priorSd) ** 2;
  const lo = Math.min(prior, ...points.map((p) => p.logBid)) - 3;
  const hi = Math.max(prior, ...points.map((p) => p.logBid)) + 3;
  const steps = 24;
  let best = lo;
  let bestF = Number.POSITIVE_INFINITY;
  for (let i = 0; i <= steps; i++) {
    const mu = lo + ((hi - lo) * i) / steps;
    const v = f(mu);
    if (v < bestF) {
      bestF = v;
      best = mu;
    }
  }
  const g = (Math.sqrt(5) - 1) / 2;
  let a = best - (hi - lo) / steps;
  let b = best + (hi - lo) / steps;
  for (let i = 0; i < 20; i++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (f(c) < f(d)) b = d;
    else a = c;
  }
  return (a + b) / 2;
}

/** Profile-wide sigma from keywords seen at two or more bids (one bid cannot tell the curve's shape). */
function fitSigma(points: Map<string, CpcPoint[]>): number {
  // the busiest keywords seen at several bids say enough about the shape, and keep this quick
  const informative = [...points.values()]
    .filter((p) => p.length >= 2)
    .map((p) => ({ p, clicks: p.reduce((s, x) => s + x.clicks, 0) }))
    .sort((a, b) => b.clicks - a.clicks)
    .slice(0, SIGMA_FIT_KEYWORDS)
    .map((x) => x.p);
  if (informative.length === 0) return DEFAULT_SIGMA;
  let best = DEFAULT_SIGMA;
  let bestE = Number.POSITIVE_INFINITY;
  for (const sigma of SIGMA_GRID) {
    let e = 0;
    for (const pts of informative) {
      const prior = pts.reduce((s, p) => s + p.clicks * p.logBid, 0) / pts.reduce((s, p) => s + p.clicks, 0);
      e += sse(pts, fitMu(pts, sigma, prior, 2), sigma);
    }
    if (e < bestE) {
      bestE = e;
      best = sigma;
    }
  }
  return best;
}

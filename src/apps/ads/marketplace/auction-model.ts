import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

/**
 * What the simulator knows about a keyword and the optimizer must learn. Demand is per day
 * at average seasonality; the highest competing bid per auction is log-normal.
 */
export interface KeywordTruth {
  /** Auctions per day the keyword's ad could enter (mean, before seasonality and noise). */
  searchVolume: number;
  /** Median of the highest competing bid, in the marketplace currency. */
  competitorMedianBid: number;
  /** Spread of ln(highest competing bid). */
  competitorLogSd: number;
  /** P(click | impression). */
  ctr: number;
  /** P(order | valid click). */
  cvr: number;
  /** Mean order value, in the marketplace currency. */
  aov: number;
}

export interface ExpectedOutcome {
  winProbability: number;
  impressions: number;
  clicks: number;
  /** Mean cost per click: never above the bid. */
  cpc: number;
  cost: number;
  orders: number;
  sales: number;
}

/**
 * Share of auctions won at `bid`: P(highest competing bid < bid). Increasing in the bid and
 * saturating at 1: the diminishing returns of bidding up.
 */
export function winProbability(bid: number, truth: KeywordTruth): number {
  if (!(bid > 0)) return 0;
  return normalCdf(Math.log(bid / truth.competitorMedianBid), 0, truth.competitorLogSd);
}

/**
 * Mean price per click in a second-price auction: the highest competing bid (given that we
 * won, so below our bid) plus one increment, never below the floor and never above the bid.
 * For C log-normal, E[C | C < b] = e^(μ+σ²/2)·Φ((ln b − μ − σ²)/σ) / Φ((ln b − μ)/σ).
 */
export function expectedCpc(bid: number, truth: KeywordTruth, increment: number, floor: number): number {
  if (!(bid > 0)) return 0;
  const sigma = truth.competitorLogSd;
  const z = Math.log(bid / truth.competitorMedianBid);
  const win = normalCdf(z, 0, sigma);
  const partial = normalCdf(z - sigma * sigma, 0, sigma);
  const conditional = win > 1e-300 ? (truth.competitorMedianBid * Math.exp((sigma * sigma) / 2) * partial) / win : bid;
  return Math.min(bid, Math.max(floor, conditional + increment));
}

/** Expected day at `bid` with the given demand multiplier (seasonality × noise × pacing). */
export function expectedOutcome(
  bid: number,
  truth: KeywordTruth,
  demand: number,
  increment: number,
  floor: number,
): ExpectedOutcome {
  const win = winProbability(bid, truth);
  const impressions = truth.searchVolume * demand * win;
  const clicks = impressions * truth.ctr;
  const cpc = expectedCpc(bid, truth, increment, floor);
  const orders = clicks * truth.cvr;
  return {
    winProbability: win,
    impressions,
    clicks,
    cpc,
    cost: clicks * cpc,
    orders,
    sales: orders * truth.aov,
  };
}

import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

/**
 * What the simulator knows about a keyword and the optimizer must learn. Demand is per day
 * at average seasonality. An auction has two placements that matter: the ad shows at all
 * (rest of search, product pages) when the bid beats the highest competing bid, and shows at
 * the top of search when it also beats the (higher) top-of-search competition, where shoppers
 * click several times more often. Both competing bids are log-normal with the same spread.
 */
export interface KeywordTruth {
  /** Auctions per day the keyword's ad could enter (mean, before seasonality and noise). */
  searchVolume: number;
  /** Median of the highest competing bid (to show at all), in the marketplace currency. */
  competitorMedianBid: number;
  /** Spread of ln(competing bid). */
  competitorLogSd: number;
  /** Median top-of-search competing bid / competitorMedianBid (≥ 1). */
  topOfSearchBidRatio: number;
  /** CTR at the top of search / CTR elsewhere (≥ 1). */
  topOfSearchCtrLift: number;
  /** P(click | impression) outside the top of search. */
  ctr: number;
  /** P(order | valid click). */
  cvr: number;
  /** Mean order value, in the marketplace currency. */
  aov: number;
}

export interface ExpectedOutcome {
  winProbability: number;
  /** Share of the impressions shown at the top of search. */
  topOfSearchShare: number;
  impressions: number;
  clicks: number;
  /** Mean cost per click: never above the bid. */
  cpc: number;
  cost: number;
  orders: number;
  sales: number;
}

/** Φ((ln b − ln M)/σ): share of auctions whose competing bid, log-normal(M, σ), is under b. */
function share(bid: number, median: number, sigma: number): number {
  return normalCdf(Math.log(bid / median), 0, sigma);
}

/** ∫₀ᵇ c dshare(c) = E[C; C < b]: the expected price of a win at b, paid at the competing bid. */
function payment(bid: number, median: number, sigma: number): number {
  return median * Math.exp((sigma * sigma) / 2) * normalCdf(Math.log(bid / median) - sigma * sigma, 0, sigma);
}

/**
 * Share of auctions won at `bid` (the ad shows): P(highest competing bid < bid). Increasing in
 * the bid and saturating at 1.
 */
export function winProbability(bid: number, truth: KeywordTruth): number {
  if (!(bid > 0)) return 0;
  return share(bid, truth.competitorMedianBid, truth.competitorLogSd);
}

/** Share of the shown impressions that are at the top of search; rises with the bid. */
export function topOfSearchShare(bid: number, truth: KeywordTruth): number {
  const win = winProbability(bid, truth);
  if (!(win > 1e-300)) return 0;
  const top = share(bid, truth.competitorMedianBid * Math.max(1, truth.topOfSearchBidRatio), truth.competitorLogSd);
  return Math.min(1, top / win);
}

/**
 * Clicks per auction entered, relative to `ctr`: shown × (1 + (lift − 1) × top share). Keeps
 * rising past the bid that wins nearly every auction, until the top of search is won too.
 */
export function clickShare(bid: number, truth: KeywordTruth): number {
  if (!(bid > 0)) return 0;
  const m = truth.competitorMedianBid;
  const s = truth.competitorLogSd;
  const lift = Math.max(1, truth.topOfSearchCtrLift);
  return share(bid, m, s) + (lift - 1) * share(bid, m * Math.max(1, truth.topOfSearchBidRatio), s);
}

/**
 * Mean price per click: every click is paid at the competing bid it took to earn it (the
 * clicks of showing at all at the highest competing bid, the extra clicks of the top of
 * search at the top-of-search competing bid: the payments of a position auction priced like
 * a second-price one), plus one increment, never below the floor and never above the bid.
 * This is E[c | c < b] under the bid → clicks curve: it grows with the bid and stays under it,
 * and the last click bought costs about the bid, so bidding up raises the average CPC.
 */
export function expectedCpc(bid: number, truth: KeywordTruth, increment: number, floor: number): number {
  if (!(bid > 0)) return 0;
  const m = truth.competitorMedianBid;
  const s = truth.competitorLogSd;
  const topMedian = m * Math.max(1, truth.topOfSearchBidRatio);
  const extra = Math.max(1, truth.topOfSearchCtrLift) - 1;
  const clicks = share(bid, m, s) + extra * share(bid, topMedian, s);
  const cost = payment(bid, m, s) + extra * payment(bid, topMedian, s);
  const conditional = clicks > 1e-300 ? cost / clicks : bid;
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
  const clicks = truth.searchVolume * demand * truth.ctr * clickShare(bid, truth);
  const cpc = expectedCpc(bid, truth, increment, floor);
  const orders = clicks * truth.cvr;
  return {
    winProbability: win,
    topOfSearchShare: topOfSearchShare(bid, truth),
    impressions,
    clicks,
    cpc,
    cost: clicks * cpc,
    orders,
    sales: orders * truth.aov,
  };
}

/**
 * P(click | impression) at `bid`: the base CTR lifted by the top-of-search share, capped at 1
 * (consistent with expectedOutcome: impressions × this = clicks).
 */
export function impressionCtr(bid: number, truth: KeywordTruth): number {
  const lift = Math.max(1, truth.topOfSearchCtrLift);
  return Math.min(1, truth.ctr * (1 + (lift - 1) * topOfSearchShare(bid, truth)));
}

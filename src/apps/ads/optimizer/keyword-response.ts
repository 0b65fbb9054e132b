import { auctionCurve } from "./auction-curve.js";

/**
 * One keyword's fitted market response (see fit-market-response.ts): bid → share of auctions
 * won → clicks, cost per click, and revenue per click from the pooled conversion rate and
 * order value.
 */
export interface KeywordResponse {
  keywordId: string;
  /** Competing-bid landscape: ln of the median highest competing bid, and its spread. */
  mu: number;
  sigma: number;
  /** Clicks per day if every auction were won. */
  clicksAtFullShare: number;
  /** Posterior of the conversion rate per click: Beta(cvrAlpha, cvrBeta). */
  cvrAlpha: number;
  cvrBeta: number;
  /** Posterior mean order value and the log-sd of that estimate. */
  aov: number;
  aovLogSd: number;
  /** Own settled evidence. */
  clicks: number;
  orders: number;
  /** Days with clicks behind the landscape fit (0: the landscape is the ad group's). */
  cpcPoints: number;
}

export interface ResponsePrediction {
  winShare: number;
  clicks: number;
  cpc: number;
  cost: number;
  sales: number;
}

export function revenuePerClick(r: KeywordResponse): number {
  return (r.cvrAlpha / (r.cvrAlpha + r.cvrBeta)) * r.aov;
}

/** Expected day at `bid` (rpc: revenue per click, default the posterior mean). */
export function predictDay(r: KeywordResponse, bid: number, rpc = revenuePerClick(r)): ResponsePrediction {
  const winShare = auctionCurve.winShare(bid, r.mu, r.sigma);
  const clicks = r.clicksAtFullShare * winShare;
  const cpc = bid * auctionCurve.cpcRatio(bid, r.mu, r.sigma);
  return { winShare, clicks, cpc, cost: clicks * cpc, sales: clicks * rpc };
}

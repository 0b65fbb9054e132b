import { type KeywordResponse, predictDay, revenuePerClick } from "./keyword-response.js";

export interface ModelBidOptions {
  /** ACoS the bid must not exceed in expectation (cost per click / revenue per click). */
  target: number;
  margin: number;
  minBid: number;
  maxBid: number;
}

const GRID = 160;
/** Of bids whose profit is within this share of the best, the lowest: where the curve is flat, bid less. */
const FLAT_TOLERANCE = 0.005;

/**
 * The market-response model's bid: the one maximizing expected profit per day, clicks(b) ×
 * (revenue per click × margin − CPC(b)), among bids whose expected ACoS = CPC(b) / revenue per
 * click stays at or under the target. Where winning more auctions no longer adds clicks (the
 * curve is saturated) the lowest bid of the plateau is taken. Null when no bid meets the target.
 */
export function modelBid(r: KeywordResponse, o: ModelBidOptions): number | null {
  const rpc = revenuePerClick(r);
  if (!(rpc > 0)) return null;
  const lo = Math.max(o.minBid, Math.exp(r.mu - 4 * r.sigma));
  const hi = Math.min(o.maxBid, Math.exp(r.mu + 4 * r.sigma));
  if (!(hi > lo)) return lo;
  const bids: number[] = [];
  const profits: number[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= GRID; i++) {
    const bid = lo * (hi / lo) ** (i / GRID);
    const p = predictDay(r, bid, rpc);
    if (p.cpc > o.target * rpc) break; // CPC grows with the bid: the rest are over target too
    const profit = p.clicks * (rpc * o.margin - p.cpc);
    bids.push(bid);
    profits.push(profit);
    if (profit > best) best = profit;
  }
  if (bids.length === 0) return null;
  if (!(best > 0)) return bids[0]!;
  const threshold = best - Math.abs(best) * FLAT_TOLERANCE;
  return bids[profits.findIndex((p) => p >= threshold)]!;
}

import normalCdf from "@stdlib/stats-base-dists-normal-cdf";

/**
 * The bid landscape the market-response model assumes: the highest competing bid of an auction
 * is log-normal(mu, sigma), as in a second-price auction with many bidders. A bid b wins a share
 * Φ((ln b − mu)/sigma) of the auctions (more impressions and clicks at higher bids, saturating)
 * and pays on average E[C | C < b] ≤ b. Both follow from (mu, sigma) alone, fitted from report
 * data (cost per click against the bid in effect), never from the simulator's latent values.
 */
export const auctionCurve = {
  winShare(bid: number, mu: number, sigma: number): number {
    return bid > 0 ? normalCdf(Math.log(bid) - mu, 0, sigma) : 0;
  },

  /** E[C | C < b] / b: the share of the bid a click costs on average (0 … 1). */
  cpcRatio(bid: number, mu: number, sigma: number): number {
    if (!(bid > 0)) return 1;
    const x = Math.log(bid) - mu;
    const win = normalCdf(x, 0, sigma);
    if (win < 1e-12) return 1; // far below the competition: the rare win costs about the bid
    const partial = normalCdf(x - sigma * sigma, 0, sigma);
    return Math.min(1, (Math.exp(mu + (sigma * sigma) / 2) * partial) / win / bid);
  },
};

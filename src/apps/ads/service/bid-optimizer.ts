import type { AdsOptimizer } from "../optimizer/ads-optimizer.js";

/**
 * The optimizer as the service uses it (src/apps/ads/optimizer): a plan's items from the synced
 * data (decisions logged with activate:false under event ids derived from the plan id), and the
 * rewards of executed changes whose data has settled.
 */
export type BidOptimizer = Pick<AdsOptimizer, "optimize" | "settle">;

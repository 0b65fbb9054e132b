import type { Rng } from "../../../stats/rng.js";
import type { KeywordTruth } from "./auction-model.js";
import type { CatalogSize, CatalogSpec, KeywordMatchType } from "./catalog.js";
import { sampleLogNormal } from "./sampling.js";

const PRODUCTS = [
  "soap bar",
  "shampoo",
  "face cream",
  "lip balm",
  "body wash",
  "hand lotion",
  "bath salts",
  "sunscreen",
  "toothpaste",
  "beard oil",
  "hair mask",
  "deodorant",
];
const MODIFIERS = ["organic", "natural", "vegan", "sensitive skin", "men", "women", "travel size", "unscented", "bulk"];
const MATCH_TYPES: readonly KeywordMatchType[] = ["EXACT", "PHRASE", "BROAD"];

/** Relative demand and quality by match type: broad reaches more searches that convert less. */
export const MATCH_TYPE_PROFILE: Readonly<Record<KeywordMatchType, { volume: number; ctr: number; cvr: number }>> = {
  EXACT: { volume: 1, ctr: 1.2, cvr: 1.2 },
  PHRASE: { volume: 1.8, ctr: 1, cvr: 0.9 },
  BROAD: { volume: 3, ctr: 0.8, cvr: 0.7 },
};

/**
 * Competitors bid what a click is worth to them × the ACoS they aim at: the median competing
 * bid (to show at all) is the keyword's own revenue per click × this ACoS-like ratio, log-normal
 * around COMPETITOR_ACOS with spread COMPETITOR_ACOS_SD (their values and targets differ from
 * ours). The top of search goes to bids TOP_OF_SEARCH_RATIO times higher.
 */
export const COMPETITOR_ACOS = 0.22;
export const COMPETITOR_ACOS_SD = 0.3;
export const TOP_OF_SEARCH_RATIO = 2;

/**
 * Latent truth of one keyword, in currency units scaled by `money` (currency per USD):
 * volume ~ 400/day, CTR ~ 0.4% (2–4× at the top of search), CVR ~ 10%, order value ~ 25,
 * each log-normal, so revenue per click spreads around 2.5; competing bids follow revenue per
 * click (COMPETITOR_ACOS), so a target ACoS around 25% is reachable for most keywords by
 * bidding up, while some keywords stay capped (competition too low to spend up to the target)
 * or thin (competition too high to win much at the target).
 */
export function sampleTruth(rng: Rng, matchType: KeywordMatchType, money: number): KeywordTruth {
  const mt = MATCH_TYPE_PROFILE[matchType];
  const searchVolume = sampleLogNormal(rng, 400 * mt.volume, 0.9);
  // several advertisers bid on a keyword, so the price to beat varies little between auctions
  const competitorLogSd = 0.25 + 0.25 * rng.next();
  const ctr = Math.min(0.05, sampleLogNormal(rng, 0.004 * mt.ctr, 0.45));
  const cvr = Math.min(0.6, sampleLogNormal(rng, 0.1 * mt.cvr, 0.45));
  const aov = sampleLogNormal(rng, 25 * money, 0.45);
  const competitorMedianBid = Math.max(
    0.02 * money,
    cvr * aov * sampleLogNormal(rng, COMPETITOR_ACOS, COMPETITOR_ACOS_SD),
  );
  return {
    searchVolume,
    competitorMedianBid,
    competitorLogSd,
    topOfSearchBidRatio: sampleLogNormal(rng, TOP_OF_SEARCH_RATIO, 0.2),
    topOfSearchCtrLift: 2 + 2 * rng.next(),
    ctr,
    cvr,
    aov,
  };
}

/** A generated catalog: campaigns of ad groups of keywords with a product-like text. */
export function generateCatalog(rng: Rng, size: CatalogSize, money: number): CatalogSpec {
  const nCampaigns = size.campaigns ?? 3;
  const nAdGroups = size.adGroupsPerCampaign ?? 2;
  const nKeywords = size.keywordsPerAdGroup ?? 8;
  const cents = (x: number) => Math.round(x * 100) / 100;
  const campaigns: CatalogSpec["campaigns"] = [];
  for (let c = 0; c < nCampaigns; c++) {
    const product = PRODUCTS[c % PRODUCTS.length]!;
    const adGroups: CatalogSpec["campaigns"][number]["adGroups"] = [];
    for (let g = 0; g < nAdGroups; g++) {
      const defaultBid = cents(sampleLogNormal(rng, 0.5 * money, 0.3));
      const keywords: CatalogSpec["campaigns"][number]["adGroups"][number]["keywords"] = [];
      for (let k = 0; k < nKeywords; k++) {
        const modifier = MODIFIERS[(g * nKeywords + k) % MODIFIERS.length]!;
        const matchType = MATCH_TYPES[k % MATCH_TYPES.length]!;
        // a third of the keywords carry no bid of their own and use the ad group's default
        const ownBid = rng.next() < 2 / 3 ? cents(defaultBid * sampleLogNormal(rng, 1, 0.3)) : undefined;
        keywords.push({
          text: `${modifier} ${product}${k >= MODIFIERS.length ? ` ${k}` : ""}`,
          matchType,
          ...(ownBid === undefined ? {} : { bid: Math.max(0.02 * money, ownBid) }),
        });
      }
      adGroups.push({ name: `${product} ${g + 1}`, defaultBid: Math.max(0.02 * money, defaultBid), keywords });
    }
    campaigns.push({
      name: `SP ${product} manual`,
      dailyBudget: cents(sampleLogNormal(rng, 60 * money, 0.4)),
      adGroups,
    });
  }
  return { campaigns };
}

/**
 * Amazon Ads marketplaces: API region, marketplace string id, currency, timezone and the
 * Sponsored Products keyword bid limits (min / max, in the marketplace currency) that the
 * API enforces (BID_OUT_OF_MARKET_PLACE_RANGE). One table, so the client, the optimizer,
 * the simulator and the local server agree.
 */
export type AdsRegion = "NA" | "EU" | "FE";

export type MarketplaceCountry =
  | "US"
  | "CA"
  | "MX"
  | "BR"
  | "UK"
  | "DE"
  | "FR"
  | "ES"
  | "IT"
  | "NL"
  | "SE"
  | "PL"
  | "TR"
  | "AE"
  | "IN"
  | "JP"
  | "AU"
  | "SG";

export interface MarketplaceInfo {
  countryCode: MarketplaceCountry;
  region: AdsRegion;
  marketplaceStringId: string;
  currencyCode: string;
  timezone: string;
  bidLimits: { min: number; max: number };
}

function m(
  countryCode: MarketplaceCountry,
  region: AdsRegion,
  marketplaceStringId: string,
  currencyCode: string,
  timezone: string,
  min: number,
  max: number,
): MarketplaceInfo {
  return { countryCode, region, marketplaceStringId, currencyCode, timezone, bidLimits: { min, max } };
}

export const MARKETPLACES: Readonly<Record<MarketplaceCountry, MarketplaceInfo>> = {
  US: m("US", "NA", "ATVPDKIKX0DER", "USD", "America/Los_Angeles", 0.02, 1000),
  CA: m("CA", "NA", "A2EUQ1WTGCTBG2", "CAD", "America/Los_Angeles", 0.02, 1000),
  MX: m("MX", "NA", "A1AM78C64UM0Y8", "MXN", "America/Los_Angeles", 0.1, 20000),
  BR: m("BR", "NA", "A2Q3Y263D00KWC", "BRL", "America/Sao_Paulo", 0.07, 3700),
  UK: m("UK", "EU", "A1F83G8C2ARO7P", "GBP", "Europe/London", 0.02, 1000),
  DE: m("DE", "EU", "A1PA6795UKMFR9", "EUR", "Europe/Paris", 0.02, 1000),
  FR: m("FR", "EU", "A13V1IB3VIYZZH", "EUR", "Europe/Paris", 0.02, 1000),
  ES: m("ES", "EU", "A1RKKUPIHCS9HS", "EUR", "Europe/Paris", 0.02, 1000),
  IT: m("IT", "EU", "APJ6JRA9NG5V4", "EUR", "Europe/Paris", 0.02, 1000),
  NL: m("NL", "EU", "A1805IZSGTT6HS", "EUR", "Europe/Amsterdam", 0.02, 1000),
  SE: m("SE", "EU", "A2NODRKZP88ZB9", "SEK", "Europe/Stockholm", 0.18, 9300),
  PL: m("PL", "EU", "A1C3SOZRARQ6R3", "PLN", "Europe/Warsaw", 0.04, 2000),
  TR: m("TR", "EU", "A33AVAJ2PDY3EV", "TRY", "Europe/Istanbul", 0.05, 2500),
  AE: m("AE", "EU", "A2VIGQ35RCS4UG", "AED", "Asia/Dubai", 0.24, 184),
  IN: m("IN", "EU", "A21TJRUUN4KGV", "INR", "Asia/Kolkata", 1, 5000),
  JP: m("JP", "FE", "A1VC38T7YXB528", "JPY", "Asia/Tokyo", 2, 100000),
  AU: m("AU", "FE", "A39IBJ37TRP1C6", "AUD", "Australia/Sydney", 0.02, 1410),
  SG: m("SG", "FE", "A19VAU5U5O7RUS", "SGD", "Asia/Singapore", 0.02, 1000),
};

export function isMarketplaceCountry(code: string): code is MarketplaceCountry {
  return Object.hasOwn(MARKETPLACES, code);
}

/** The keyword bid limits of a marketplace, or undefined for a country not in the table. */
export function bidLimitsFor(countryCode: string): { min: number; max: number } | undefined {
  return isMarketplaceCountry(countryCode) ? MARKETPLACES[countryCode].bidLimits : undefined;
}

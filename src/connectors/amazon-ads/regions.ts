import type { AdsRegion } from "./marketplaces.js";

export interface RegionEndpoints {
  /** Base URL of the Advertising API (no trailing slash). */
  apiBaseUrl: string;
  /** Login with Amazon token endpoint (refresh-token grant). */
  tokenUrl: string;
}

/** Documented hosts per region; every client option can override them (tests use loopback). */
export const REGION_ENDPOINTS: Readonly<Record<AdsRegion, RegionEndpoints>> = {
  NA: { apiBaseUrl: "https://advertising-api.amazon.com", tokenUrl: "https://api.amazon.com/auth/o2/token" },
  EU: { apiBaseUrl: "https://advertising-api-eu.amazon.com", tokenUrl: "https://api.amazon.co.uk/auth/o2/token" },
  FE: { apiBaseUrl: "https://advertising-api-fe.amazon.com", tokenUrl: "https://api.amazon.co.jp/auth/o2/token" },
};

import type { Config } from "../../../config.js";
import type { AdsConnection } from "./ads-clients.js";

/** The configured Amazon Ads connection (the server's and the CLI's). */
export function configuredAdsConnection(config: Config): AdsConnection {
  return {
    clientId: config.amazonAdsClientId,
    clientSecret: config.amazonAdsClientSecret,
    refreshToken: config.amazonAdsRefreshToken,
    region: config.amazonAdsRegion,
    apiBaseUrl: config.amazonAdsApiBaseUrl,
    tokenUrl: config.amazonAdsTokenUrl,
  };
}

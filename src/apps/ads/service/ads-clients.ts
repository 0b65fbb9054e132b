import { AmazonAdsClient, type AmazonAdsClientOptions } from "../../../connectors/amazon-ads/amazon-ads-client.js";
import { type AdsRegion, isMarketplaceCountry, MARKETPLACES } from "../../../connectors/amazon-ads/marketplaces.js";
import { BanditryError } from "../../../domain/errors.js";
import type { AdsProfileRecord } from "../../../stores/stores.js";

/** The configured Amazon Ads connection (src/config.ts); null: not configured. */
export interface AdsConnection {
  clientId: string | null;
  clientSecret: string | null;
  /** The advertiser's refresh token, used for profiles that carry none of their own. */
  refreshToken: string | null;
  region: AdsRegion;
  /** Overrides of the region's hosts (tests and demos: the local server). */
  apiBaseUrl: string | null;
  tokenUrl: string | null;
  /** Passed to every client (clock, rng, backoff, polling, fetch). */
  clientOptions?: Partial<AmazonAdsClientOptions>;
}

/**
 * One AmazonAdsClient per connection (application, refresh token, hosts), kept so that its
 * access token and rate limiters are shared by every call of the process.
 */
export class AdsClients {
  private readonly cache = new Map<string, AmazonAdsClient>();

  constructor(readonly connection: AdsConnection) {}

  /** The account the configuration names (profile discovery). */
  account(): AmazonAdsClient {
    return this.client(this.connection.refreshToken, this.connection.region, null, null);
  }

  forProfile(profile: AdsProfileRecord): AmazonAdsClient {
    return this.client(
      profile.refreshToken ?? this.connection.refreshToken,
      profile.region,
      profile.apiBaseUrl,
      profile.tokenUrl,
    );
  }

  /** The region of a profile's marketplace (the configured one for an unknown country). */
  regionOf(countryCode: string): AdsRegion {
    return isMarketplaceCountry(countryCode) ? MARKETPLACES[countryCode].region : this.connection.region;
  }

  private client(
    refreshToken: string | null,
    region: AdsRegion,
    apiBaseUrl: string | null,
    tokenUrl: string | null,
  ): AmazonAdsClient {
    const c = this.connection;
    if (c.clientId === null || c.clientSecret === null) {
      throw new BanditryError(
        "BANDITRY_ADS_NOT_CONFIGURED",
        "set BANDITRY_AMAZON_ADS_CLIENT_ID and BANDITRY_AMAZON_ADS_CLIENT_SECRET to reach Amazon Ads",
        { field: c.clientId === null ? "amazonAdsClientId" : "amazonAdsClientSecret" },
      );
    }
    if (refreshToken === null) {
      throw new BanditryError(
        "BANDITRY_ADS_NOT_CONFIGURED",
        "set BANDITRY_AMAZON_ADS_REFRESH_TOKEN (the advertiser's Login with Amazon refresh token)",
        { field: "amazonAdsRefreshToken" },
      );
    }
    const base = apiBaseUrl ?? c.apiBaseUrl;
    const token = tokenUrl ?? c.tokenUrl;
    const key = JSON.stringify([refreshToken, region, base, token]);
    let client = this.cache.get(key);
    if (client === undefined) {
      client = new AmazonAdsClient({
        ...c.clientOptions,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        refreshToken,
        region,
        ...(base === null ? {} : { apiBaseUrl: base }),
        ...(token === null ? {} : { tokenUrl: token }),
      });
      this.cache.set(key, client);
    }
    return client;
  }
}

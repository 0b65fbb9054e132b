import {
  createFakeAmazonAds,
  type FakeAmazonAds,
  type FakeAmazonAdsOptions,
} from "../../../../src/apps/ads/fake-server/create-fake-amazon-ads.js";
import { Marketplace, type MarketplaceOptions } from "../../../../src/apps/ads/marketplace/marketplace.js";
import type { AdsTransportEvent } from "../../../../src/connectors/amazon-ads/ads-transport.js";
import {
  AmazonAdsClient,
  type AmazonAdsClientOptions,
} from "../../../../src/connectors/amazon-ads/amazon-ads-client.js";
import type { Clock } from "../../../../src/connectors/amazon-ads/clock.js";
import { createRng } from "../../../../src/stats/rng.js";

/**
 * Time that passes only when someone sleeps: the client's backoff, rate limiter and report
 * polling and the local server's token expiry and report progress all read it, so a test
 * of a 2 h report or a 60 s Retry-After runs in milliseconds and records every wait.
 */
export class VirtualClock implements Clock {
  t = Date.parse("2026-03-01T12:00:00Z");
  readonly sleeps: number[] = [];
  now = (): number => this.t;
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
  };
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface AdsEnv {
  clock: VirtualClock;
  marketplace: Marketplace;
  fake: FakeAmazonAds;
  client: AmazonAdsClient;
  profileId: string;
  baseUrl: string;
  tokenUrl: string;
  events: AdsTransportEvent[];
  /** Another client of the same server (other options). */
  newClient(options?: Partial<AmazonAdsClientOptions>): AmazonAdsClient;
  close(): Promise<void>;
}

/**
 * A marketplace simulator (days already simulated), the local Amazon Ads server on a
 * loopback port, and a client pointed at it, all on one virtual clock.
 */
export async function startAdsEnv(
  options: {
    marketplace?: Partial<MarketplaceOptions>;
    days?: number;
    fake?: Partial<FakeAmazonAdsOptions>;
    client?: Partial<AmazonAdsClientOptions>;
  } = {},
): Promise<AdsEnv> {
  const clock = new VirtualClock();
  const marketplace = new Marketplace({ seed: 11, ...options.marketplace });
  marketplace.advanceDays(options.days ?? 20);
  const fake = await createFakeAmazonAds({ marketplace, now: clock.now, ...options.fake });
  const { baseUrl, tokenUrl } = await fake.listen();
  const events: AdsTransportEvent[] = [];
  const newClient = (extra: Partial<AmazonAdsClientOptions> = {}) =>
    new AmazonAdsClient({
      clientId: fake.client.clientId,
      clientSecret: fake.client.clientSecret,
      refreshToken: fake.client.refreshTokens[0]!,
      apiBaseUrl: baseUrl,
      tokenUrl,
      clock,
      rng: createRng(5),
      onEvent: (e) => events.push(e),
      ...options.client,
      ...extra,
    });
  return {
    clock,
    marketplace,
    fake,
    client: newClient(),
    profileId: marketplace.profile.profileId,
    baseUrl,
    tokenUrl,
    events,
    newClient,
    close: () => fake.close(),
  };
}

/** Requests the server answered on a route ("PUT /sp/keywords"), optionally only with a status. */
export function countRequests(fake: FakeAmazonAds, route: string, status?: number): number {
  return fake.requests.filter((r) => r.route === route && (status === undefined || r.status === status)).length;
}

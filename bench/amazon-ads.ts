import { createFakeAmazonAds } from "../src/apps/ads/fake-server/create-fake-amazon-ads.js";
import { Marketplace } from "../src/apps/ads/marketplace/marketplace.js";
import { AmazonAdsClient } from "../src/connectors/amazon-ads/amazon-ads-client.js";

const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const simT: number[] = [];
let m!: Marketplace;
for (let r = 0; r < 5; r++) {
  m = new Marketplace({ seed: r, size: { campaigns: 20, adGroupsPerCampaign: 10, keywordsPerAdGroup: 25 } });
  const t = performance.now();
  m.advanceDays(31);
  simT.push(performance.now() - t);
}
console.log(
  `simulator: 5000 keywords x 31 days, median ${med(simT).toFixed(0)} ms (${((((5000 * 31) / med(simT)) * 1000) / 1e6).toFixed(2)} M keyword-days/s)`,
);
const fake = await createFakeAmazonAds({ marketplace: m, reportDelayMs: 0 });
const { baseUrl, tokenUrl } = await fake.listen();
const client = new AmazonAdsClient({
  clientId: fake.client.clientId,
  clientSecret: fake.client.clientSecret,
  refreshToken: fake.client.refreshTokens[0]!,
  apiBaseUrl: baseUrl,
  tokenUrl,
  rateLimit: false,
  reportPolling: { initialIntervalMs: 10 },
});
const pid = m.profile.profileId;
await client.listProfiles();
const listT: number[] = [],
  putT: number[] = [],
  repT: number[] = [];
let rows = 0;
for (let r = 0; r < 5; r++) {
  let t = performance.now();
  const kws = await client.listKeywords(pid);
  listT.push(performance.now() - t);
  t = performance.now();
  await client.updateKeywords(
    pid,
    kws.map((k, i) => ({ keywordId: k.keywordId, bid: 0.3 + (i % 50) / 100 + r / 1000 })),
  );
  putT.push(performance.now() - t);
  t = performance.now();
  rows = (await client.keywordReport(pid, { startDate: "2026-01-01", endDate: "2026-01-31", columns: undefined }))
    .length;
  repT.push(performance.now() - t);
  m.advanceDay();
}
console.log(`list 5000 keywords (5 pages of 1000): median ${med(listT).toFixed(0)} ms`);
console.log(`PUT 5000 bid updates (5 chunks, 207): median ${med(putT).toFixed(0)} ms`);
console.log(
  `keyword report 31 days (${rows} rows; create+poll+download+gunzip+parse): median ${med(repT).toFixed(0)} ms`,
);
await fake.close();

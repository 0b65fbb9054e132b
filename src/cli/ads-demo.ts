import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { createFakeAmazonAds } from "../apps/ads/fake-server/create-fake-amazon-ads.js";
import { type DaySummary, Marketplace } from "../apps/ads/marketplace/marketplace.js";
import { DEFAULT_MARGIN_PER_TARGET } from "../apps/ads/optimizer/resolve-settings.js";
import { loadConfig } from "../config.js";
import type { Clock } from "../connectors/amazon-ads/clock.js";
import { createRng } from "../stats/rng.js";
import { withAdsService } from "./ads-context.js";
import { formatWeekSummary } from "./ads-week-summary.js";
import { integerBetween, numberBetween } from "./flag-parsers.js";
import { ProgressBar } from "./progress-bar.js";

interface DemoFlags {
  days: number;
  keywords: number;
  seed: number;
  targetAcos: number;
  strategy: "aggressive" | "balanced" | "conservative";
  warmup: number;
}

const DAY_MS = 86_400_000;

/**
 * `banditry ads demo`: a simulated advertiser behind the local Amazon Ads server, and the real
 * service (SQLite in a temporary directory, the decision engine, the optimizer, the client over
 * HTTP) running sync → optimize → approve every simulated day; prints spend, sales, ACoS and
 * profit per week, warm-up weeks (static bids) first.
 */
export function registerAdsDemo(ads: Command): void {
  ads
    .command("demo")
    .description("Run the optimizer against a simulated Amazon Ads account over simulated days")
    .option("--days <n>", "simulated days of optimization", integerBetween(1, 365), 30)
    .option("--keywords <n>", "keywords of the simulated account", integerBetween(1, 2000), 50)
    .option("--seed <n>", "seed of the simulated marketplace", integerBetween(0, 2 ** 31 - 1), 1)
    .option("--target-acos <x>", "target ACoS (0.25 = 25%)", numberBetween(0.01, 5), 0.25)
    .option("--strategy <s>", "aggressive, balanced or conservative", "balanced")
    .option("--warmup <n>", "days of history at static bids before the first plan", integerBetween(7, 90), 28)
    .action(async (flags: DemoFlags, cmd: Command) => {
      const out = cmd.configureOutput().writeOut!;
      out(await runAdsDemo(flags, process.stderr));
    });
}

/** Runs the demo; returns the summary text. The progress bar draws on `progress` when it is a terminal. */
export async function runAdsDemo(flags: DemoFlags, progress: NodeJS.WriteStream): Promise<string> {
  // exactly --keywords keywords: ad groups of 5 (or the largest size ≤ 5 that divides the count)
  const perAdGroup = [5, 4, 3, 2, 1].find((n) => flags.keywords % n === 0)!;
  const adGroups = flags.keywords / perAdGroup;
  const perCampaign = adGroups % 2 === 0 ? 2 : 1;
  const marketplace = new Marketplace({
    seed: flags.seed,
    size: { campaigns: adGroups / perCampaign, adGroupsPerCampaign: perCampaign, keywordsPerAdGroup: perAdGroup },
  });
  const days: { day: DaySummary; label: string }[] = marketplace
    .advanceDays(flags.warmup)
    .map((day) => ({ day, label: "warm-up" }));
  // virtual time: report generation and retry waits pass instantly
  let t = Date.parse(`${marketplace.today}T12:00:00Z`);
  const clock: Clock = {
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(0, ms);
    },
  };
  const fake = await createFakeAmazonAds({ marketplace, now: clock.now, reportDelayMs: 1000 });
  const { baseUrl, tokenUrl } = await fake.listen();
  const dataDir = await mkdtemp(join(tmpdir(), "banditry-ads-demo-"));
  const bar = new ProgressBar(progress, "simulating");
  let changes = 0;
  try {
    const config = loadConfig({ dataDir, databaseUrl: null, sqliteSynchronous: "NORMAL" });
    await withAdsService(
      config,
      async (ads) => {
        const profileId = marketplace.profile.profileId;
        for (let d = 0; d < flags.days; d++) {
          await ads.sync(profileId);
          const plan = await ads.optimize(profileId, { strategy: flags.strategy, targetAcos: flags.targetAcos });
          const done = await ads.approve(plan.id);
          changes += done.summary.execution["succeeded"] ?? 0;
          days.push({ day: marketplace.advanceDay(), label: "optimized" });
          t += DAY_MS;
          bar.update(d + 1, flags.days);
        }
      },
      {
        connection: {
          clientId: fake.client.clientId,
          clientSecret: fake.client.clientSecret,
          refreshToken: fake.client.refreshTokens[0]!,
          region: "NA",
          apiBaseUrl: baseUrl,
          tokenUrl,
          clientOptions: { clock, rng: createRng(flags.seed), reportPolling: { initialIntervalMs: 1000 } },
        },
        service: { now: clock.now, today: () => marketplace.today },
      },
    );
  } finally {
    bar.done();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  const margin = flags.targetAcos * DEFAULT_MARGIN_PER_TARGET;
  return (
    `Simulated account: ${marketplace.keywords().length} keywords, seed ${flags.seed}, target ACoS ` +
    `${(flags.targetAcos * 100).toFixed(0)}%, strategy ${flags.strategy}; ${flags.warmup} warm-up days at ` +
    `static bids, then ${flags.days} days of sync → optimize → approve (${changes} bid changes).\n` +
    `Profit = sales × ${margin.toFixed(2)} (margin) − spend; sales of each day's clicks, whenever they arrived.\n\n` +
    formatWeekSummary(days, margin)
  );
}

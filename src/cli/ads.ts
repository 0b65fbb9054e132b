import type { Command } from "commander";
import type { PlanView } from "../apps/ads/service/plan-view.js";
import { withAdsService } from "./ads-context.js";
import { registerAdsDemo } from "./ads-demo.js";
import { numberBetween } from "./flag-parsers.js";
import { formatTable, isoTime } from "./format-table.js";
import { addStoreOptions, configFromFlags, type StoreFlags } from "./store-options.js";

interface OptimizeFlags extends StoreFlags {
  strategy: string;
  targetAcos: number;
  execute?: boolean;
  autoExecute?: boolean;
  minConfidence?: number;
  json?: boolean;
}

interface ScheduleFlags extends StoreFlags {
  profile: string;
  cadence: string;
  strategy: string;
  targetAcos: number;
  autoExecute?: boolean;
  minConfidence: number;
  json?: boolean;
}

/**
 * `banditry ads sync|optimize|approve|schedule|demo`: the Sponsored Products bid optimizer,
 * straight through the ads service (no HTTP). Amazon Ads credentials come from the environment
 * (BANDITRY_AMAZON_ADS_CLIENT_ID, …_CLIENT_SECRET, …_REFRESH_TOKEN, …_REGION, …_API_URL).
 */
export function registerAds(program: Command): void {
  const ads = program.command("ads").description("Sponsored Products bid optimizer");

  addStoreOptions(ads.command("sync").description("Pull a profile's keywords and keyword report; send settled rewards"))
    .argument("<profileId>", "Amazon Ads profile id")
    .option("--json", "print the result as JSON")
    .action(async (profileId: string, flags: StoreFlags & { json?: boolean }, cmd: Command) => {
      const r = await withAdsService(configFromFlags(flags), (s) => s.sync(profileId));
      cmd.configureOutput().writeOut!(
        flags.json
          ? `${JSON.stringify(r)}\n`
          : `Synced profile ${r.profileId}: ${r.campaigns} campaigns, ${r.keywords} keywords, ${r.reportDays} keyword-days ` +
              `(${r.startDate}…${r.endDate}); rewards sent ${r.rewards.sent}, waiting ${r.rewards.waiting}.\n`,
      );
    });

  addStoreOptions(ads.command("optimize").description("Make a plan of bid changes (a dry run unless --execute)"))
    .argument("<profileId>", "Amazon Ads profile id")
    .option("--strategy <s>", "aggressive, balanced or conservative", "balanced")
    .option("--target-acos <x>", "target ACoS (0.25 = 25%)", numberBetween(0.001, 10), 0.25)
    .option("--execute", "execute every change at once")
    .option("--auto-execute", "execute the changes whose confidence reaches --min-confidence")
    .option("--min-confidence <p>", "with --auto-execute (default 0.8)", numberBetween(0, 1))
    .option("--json", "print the plan as JSON")
    .action(async (profileId: string, flags: OptimizeFlags, cmd: Command) => {
      const body: Record<string, unknown> = {
        strategy: flags.strategy,
        targetAcos: flags.targetAcos,
        dryRun: flags.execute !== true,
        autoExecute: flags.autoExecute === true,
        ...(flags.minConfidence === undefined ? {} : { minConfidence: flags.minConfidence }),
      };
      const plan = await withAdsService(configFromFlags(flags), (s) => s.optimize(profileId, body));
      cmd.configureOutput().writeOut!(flags.json ? `${JSON.stringify(plan)}\n` : describePlan(plan));
    });

  addStoreOptions(ads.command("approve").description("Execute a plan (idempotent)"))
    .argument("<planId>", "the plan's id")
    .option("--json", "print the plan as JSON")
    .action(async (planId: string, flags: StoreFlags & { json?: boolean }, cmd: Command) => {
      const plan = await withAdsService(configFromFlags(flags), (s) => s.approve(planId));
      cmd.configureOutput().writeOut!(flags.json ? `${JSON.stringify(plan)}\n` : describePlan(plan));
    });

  const schedule = ads.command("schedule").description("Optimization schedules (run by `banditry serve`)");
  addStoreOptions(schedule.command("list").description("List schedules"))
    .option("--json", "print a JSON array")
    .action(async (flags: StoreFlags & { json?: boolean }, cmd: Command) => {
      const all = await withAdsService(configFromFlags(flags), (s) => s.listSchedules());
      const out = cmd.configureOutput().writeOut!;
      if (flags.json) return out(`${JSON.stringify(all)}\n`);
      if (all.length === 0) return out("No schedules.\n");
      out(
        formatTable(
          ["ID", "PROFILE", "CADENCE", "STRATEGY", "TARGET", "AUTO", "ENABLED", "NEXT RUN", "LAST PLAN"],
          all.map((s) => [
            s.id,
            s.profileId,
            s.cadence,
            s.strategy,
            `${(s.targetAcos * 100).toFixed(1)}%`,
            s.autoExecute ? `≥ ${s.minConfidence}` : "no",
            s.enabled ? "yes" : "no",
            isoTime(s.nextRunAt),
            s.lastPlanId ?? "-",
          ]),
        ),
      );
    });
  addStoreOptions(schedule.command("create").description("Schedule sync → optimize (→ execute) for a profile"))
    .requiredOption("--profile <id>", "Amazon Ads profile id")
    .option("--cadence <c>", "hourly, daily or weekly", "daily")
    .option("--strategy <s>", "aggressive, balanced or conservative", "balanced")
    .option("--target-acos <x>", "target ACoS (0.25 = 25%)", numberBetween(0.001, 10), 0.25)
    .option("--auto-execute", "execute changes whose confidence reaches --min-confidence")
    .option("--min-confidence <p>", "with --auto-execute", numberBetween(0, 1), 0.8)
    .option("--json", "print the schedule as JSON")
    .action(async (flags: ScheduleFlags, cmd: Command) => {
      const s = await withAdsService(configFromFlags(flags), (ads) =>
        ads.createSchedule({
          profileId: flags.profile,
          cadence: flags.cadence,
          strategy: flags.strategy,
          targetAcos: flags.targetAcos,
          autoExecute: flags.autoExecute === true,
          minConfidence: flags.minConfidence,
        }),
      );
      cmd.configureOutput().writeOut!(
        flags.json ? `${JSON.stringify(s)}\n` : `Created schedule ${s.id} (${s.cadence}, profile ${s.profileId}).\n`,
      );
    });
  addStoreOptions(schedule.command("delete").description("Delete a schedule"))
    .argument("<id>", "the schedule's id")
    .action(async (id: string, flags: StoreFlags, cmd: Command) => {
      await withAdsService(configFromFlags(flags), (s) => s.deleteSchedule(id));
      cmd.configureOutput().writeOut!(`Deleted schedule ${id}.\n`);
    });

  registerAdsDemo(ads);
}

function describePlan(plan: PlanView): string {
  const changes = plan.items.filter((i) => i.action === "change");
  const head =
    `Plan ${plan.id} for profile ${plan.profileId} (${plan.today}): ${plan.status}, ` +
    `${changes.length} changes, ${plan.summary.holds} holds; execution ${JSON.stringify(plan.summary.execution)}\n`;
  if (changes.length === 0) return head;
  return (
    head +
    formatTable(
      ["KEYWORD", "BID", "PROPOSED", "CONFIDENCE", "EXECUTION"],
      changes.map((i) => [
        i.keywordId,
        i.currentBid.toFixed(2),
        i.proposedBid.toFixed(2),
        i.confidence.toFixed(2),
        i.errorCode === null ? i.execution : `${i.execution} (${i.errorCode})`,
      ]),
    )
  );
}

/**
 * Sponsored Products bid optimizer against static bids and the sellers' rule, on the seeded
 * marketplace simulator: 200 keywords (5 campaigns × 5 ad groups × 8), 90 days, target ACoS
 * 25%, margin 40%, several seeds. Each policy runs on its own copy of the same seeded market
 * (same keywords, same luck). The bandit optimizer runs through a real engine on a temporary
 * SQLite store: daily plans from report-like rows (7-day attributed sales as known that day),
 * changes activated and applied, rewards sent when settled. Figures: the last 14 days, fully
 * settled. An oracle row (bids set from the latent truth) shows what is attainable.
 *
 *   npx tsx bench/ads-optimizer.ts [--seeds=5] [--days=90]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lagCdf } from "../src/apps/ads/marketplace/attribution-lag.js";
import { expectedOutcome } from "../src/apps/ads/marketplace/auction-model.js";
import { generateCatalog } from "../src/apps/ads/marketplace/generate-catalog.js";
import { keywordDays } from "../src/apps/ads/marketplace/keyword-days.js";
import { Marketplace } from "../src/apps/ads/marketplace/marketplace.js";
import { AdsOptimizer } from "../src/apps/ads/optimizer/ads-optimizer.js";
import type {
  ExecutedChange,
  KeywordDay,
  KeywordInfo,
  OptimizerSettings,
} from "../src/apps/ads/optimizer/optimizer-types.js";
import { ruleBasedBids } from "../src/apps/ads/optimizer/rule-based-bids.js";
import { createEngine } from "../src/engine/engine.js";
import { createRng } from "../src/stats/rng.js";
import { createStores } from "../src/stores/create-stores.js";
import { flag } from "./helpers/flag.js";

const SEEDS = flag("seeds", 5);
const DAYS = flag("days", 90);
const TARGET = 0.25;
const MARGIN = 0.4;
const WINDOW = 14;
const HISTORY_DAYS = 60;
const DAY_MS = 86_400_000;

type Policy = "static" | "rule-based" | "bandit optimizer" | "oracle (latent truth)";
interface Result {
  acos: number;
  profit: number;
  sales: number;
  withinTarget: number;
  atOrUnder: number;
}

function market(seed: number): Marketplace {
  const catalog = generateCatalog(
    createRng(seed * 7919 + 1),
    {
      campaigns: 5,
      adGroupsPerCampaign: 5,
      keywordsPerAdGroup: 8,
    },
    1,
  );
  // budgets well above spend: this benchmark is about bids, not budget pacing
  for (const c of catalog.campaigns) c.dailyBudget *= 20;
  return new Marketplace({ seed, catalog });
}

function keywordInfos(m: Marketplace): KeywordInfo[] {
  return m.keywords().map((k) => ({
    keywordId: k.keywordId,
    adGroupId: k.adGroupId,
    campaignId: k.campaignId,
    keywordText: k.keywordText,
    matchType: k.matchType,
    state: k.state,
    bid: m.effectiveBid(k.keywordId),
  }));
}

/** Report rows of days at least this old no longer change (clicks settled, 7-day sales complete). */
const FINAL_AGE = 8;
const rowCache = new WeakMap<Marketplace, Map<string, KeywordDay[]>>();

/** The last HISTORY_DAYS days of report rows as known today (final days cached: they no longer change). */
function history(m: Marketplace): KeywordDay[] {
  let cache = rowCache.get(m);
  if (!cache) {
    cache = new Map();
    rowCache.set(m, cache);
  }
  const today = Date.parse(`${m.today}T00:00:00Z`);
  const out: KeywordDay[] = [];
  for (let d = HISTORY_DAYS; d >= 1; d--) {
    const date = new Date(today - d * DAY_MS).toISOString().slice(0, 10);
    if (date < m.startDate) continue;
    const cached = cache.get(date);
    if (cached) {
      out.push(...cached);
      continue;
    }
    const rows = reportDay(m, date);
    if (d >= FINAL_AGE) cache.set(date, rows);
    out.push(...rows);
  }
  return out;
}

function reportDay(m: Marketplace, date: string): KeywordDay[] {
  return keywordDays(m.reportRows(date, date));
}

/** The last WINDOW days, settled (evaluation only). */
function evaluate(m: Marketplace): Result {
  let cost = 0;
  let sales = 0;
  let within = 0;
  let under = 0;
  let spending = 0;
  const end = Date.parse(`${m.today}T00:00:00Z`);
  for (const k of m.keywords()) {
    let c = 0;
    let s = 0;
    for (let d = 1; d <= WINDOW; d++) {
      const date = new Date(end - d * DAY_MS).toISOString().slice(0, 10);
      const row = m.keywordDay(k.keywordId, date, { final: true })!;
      c += row.cost;
      s += row.sales7d;
    }
    cost += c;
    sales += s;
    if (c > 0) {
      spending++;
      const acos = s > 0 ? c / s : Number.POSITIVE_INFINITY;
      if (Math.abs(acos - TARGET) <= 0.1 * TARGET) within++;
      if (acos <= TARGET * 1.1) under++;
    }
  }
  return {
    acos: cost / sales,
    profit: sales * MARGIN - cost,
    sales,
    withinTarget: within / Math.max(spending, 1),
    atOrUnder: under / Math.max(spending, 1),
  };
}

async function runBandit(seed: number, settings: OptimizerSettings): Promise<Result> {
  const m = market(seed);
  const dir = mkdtempSync(join(tmpdir(), "banditry-ads-bench-"));
  const stores = await createStores({ kind: "sqlite", dataDir: dir, synchronous: "NORMAL" });
  await stores.migrate();
  let now = Date.parse(`${m.today}T00:00:00Z`);
  const engine = createEngine({
    stores,
    options: { seed, refreshIntervalMs: 0, defaultRewardIntervalMs: 0, flushIntervalMs: 1 },
    now: () => now,
  });
  await engine.start();
  const optimizer = new AdsOptimizer({ decisions: engine, decisionLog: stores.eventStore });
  const changes: ExecutedChange[] = [];
  const sent = new Set<string>();
  try {
    for (let day = 0; day < DAYS; day++) {
      now = Date.parse(`${m.today}T00:00:00Z`);
      if (day > 0) {
        const rows = history(m);
        const plan = await optimizer.optimize({
          profileId: m.profile.profileId,
          countryCode: m.profile.countryCode,
          today: m.today,
          keywords: keywordInfos(m),
          history: rows,
          changes,
          settings,
          planId: `plan-${m.today}`,
        });
        // bandit changes carry a decision to activate; discovery steps of thin keywords do not
        const executed = plan.filter((item) => item.action === "change");
        await Promise.all(
          executed.filter((item) => item.eventId !== null).map((item) => engine.activate(item.eventId!)),
        );
        for (const item of executed) {
          m.setKeywordBid(item.keywordId, item.proposedBid);
          changes.push({
            keywordId: item.keywordId,
            date: m.today,
            fromBid: item.currentBid,
            toBid: item.proposedBid,
            eventId: item.eventId,
          });
        }
        const rewards = optimizer
          .settle({ today: m.today, history: rows, changes, settings })
          .filter((r) => !sent.has(r.eventId));
        if (rewards.length > 0) {
          await engine.rewardBatch(rewards.map((r) => ({ eventId: r.eventId, value: r.value })));
          for (const r of rewards) sent.add(r.eventId);
        }
      }
      m.advanceDay();
    }
  } finally {
    await engine.close();
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return evaluate(m);
}

function runStatic(seed: number): Result {
  const m = market(seed);
  m.advanceDays(DAYS);
  return evaluate(m);
}

function runRule(seed: number): Result {
  const m = market(seed);
  for (let day = 0; day < DAYS; day++) {
    if (day > 0) {
      const bids = ruleBasedBids({
        keywords: keywordInfos(m),
        history: history(m),
        today: m.today,
        targetAcos: TARGET,
        bidLimits: m.info.bidLimits,
      });
      for (const [id, bid] of bids) m.setKeywordBid(id, bid);
    }
    m.advanceDay();
  }
  return evaluate(m);
}

/**
 * Each keyword at the bid maximizing expected profit with expected ACoS ≤ target, from the latent
 * truth; sales counted as the figures are (7-day attribution, the share lagCdf(6) of all sales).
 */
function runOracle(seed: number): Result {
  const m = market(seed);
  const attributed = lagCdf(6);
  for (const k of m.keywords()) {
    const truth = m.truth(k.keywordId);
    let best = m.info.bidLimits.min;
    let bestProfit = Number.NEGATIVE_INFINITY;
    for (let b = 0.05; b < 20; b *= 1.02) {
      const o = expectedOutcome(b, truth, 1, 0.01, m.info.bidLimits.min);
      const sales = o.sales * attributed;
      const profit = sales * MARGIN - o.cost;
      if (o.cost <= TARGET * sales && profit > bestProfit * 1.001) {
        bestProfit = profit;
        best = b;
      }
    }
    m.setKeywordBid(k.keywordId, Math.round(best * 100) / 100);
  }
  m.advanceDays(DAYS);
  return evaluate(m);
}

const settings: OptimizerSettings = {
  strategy: "balanced",
  targetAcos: TARGET,
  margin: MARGIN,
  discoverThinKeywords: true,
};
const results = new Map<Policy, Result[]>();
const started = performance.now();
for (let seed = 1; seed <= SEEDS; seed++) {
  const add = (p: Policy, r: Result) => results.set(p, [...(results.get(p) ?? []), r]);
  add("static", runStatic(seed));
  add("rule-based", runRule(seed));
  add("bandit optimizer", await runBandit(seed, settings));
  add("oracle (latent truth)", runOracle(seed));
}
const seconds = (performance.now() - started) / 1000;

const stat = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(xs.length - 1, 1));
  return { mean, sd };
};
const fmt = (xs: number[], digits: number, scale = 1, unit = "") => {
  const { mean, sd } = stat(xs.map((x) => x * scale));
  return `${mean.toFixed(digits)} ± ${sd.toFixed(digits)}${unit}`;
};
console.log(
  `ads bid optimizer: 200 keywords, ${DAYS} days, target ACoS ${TARGET * 100}%, margin ${MARGIN * 100}%, ` +
    `${SEEDS} seeds, strategy ${settings.strategy}, thin keywords discovered; last ${WINDOW} days, settled, 7-day attributed sales; ` +
    `mean ± sd over seeds (${seconds.toFixed(0)} s)`,
);
const header = ["policy", "ACoS", "profit", "sales", "kw ACoS ±10% of target", "kw ACoS ≤ target+10%"];
const rows = [...results].map(([p, rs]) => [
  p,
  fmt(
    rs.map((r) => r.acos),
    1,
    100,
    "%",
  ),
  fmt(
    rs.map((r) => r.profit),
    0,
  ),
  fmt(
    rs.map((r) => r.sales),
    0,
  ),
  fmt(
    rs.map((r) => r.withinTarget),
    1,
    100,
    "%",
  ),
  fmt(
    rs.map((r) => r.atOrUnder),
    1,
    100,
    "%",
  ),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join("  "));
const b = results.get("bandit optimizer")!;
const wins = (other: Policy) => b.filter((r, i) => r.profit > results.get(other)![i]!.profit).length;
const onTarget = b.filter((r) => Math.abs(r.acos - TARGET) <= 0.1 * TARGET).length;
console.log(
  `bandit optimizer more profitable than static in ${wins("static")}/${SEEDS} seeds, than rule-based in ${wins("rule-based")}/${SEEDS}; ` +
    `ACoS within ±10% of target in ${onTarget}/${SEEDS} (per seed: ${b.map((r) => `${(r.acos * 100).toFixed(1)}%`).join(", ")})`,
);

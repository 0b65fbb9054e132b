import { invalid } from "../domain/validate.js";
import type { LoopStore } from "../stores/stores.js";
import { type DurationStyle, formatDuration, parseDuration } from "./personalizer-duration.js";

export interface LearningMetrics {
  startDate: string;
  endDate: string;
  aggregationInterval: string;
  /** Over the whole range; null without rewards. */
  averageReward: number | null;
  rewardCount: number;
  /** One entry per interval that has rewards, in time order. */
  values: { timeStamp: string; averageReward: number; rewardCount: number }[];
}

const DAY_MS = 86_400_000;
const MAX_BUCKETS = 10_000;

/** A query parameter by any of its names, case-insensitively (Personalizer's portal used PascalCase). */
function param(query: Record<string, unknown>, names: readonly string[]): unknown {
  for (const [k, v] of Object.entries(query)) {
    if (names.includes(k.toLowerCase())) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function date(v: unknown, field: string): number {
  const t = typeof v === "string" && v.length <= 64 ? Date.parse(v) : Number.NaN;
  // years 1970…9999: the range and its buckets stay valid dates
  if (!(t >= 0 && t <= 253_402_300_799_999)) {
    invalid(field, `must be a date such as "2026-01-19T00:00:00Z", got ${JSON.stringify(v)}`);
  }
  return t;
}

/**
 * GET metrics/learning: the average reward that counted for learning, per interval. Query:
 * startDate (default endDate − 1 day), endDate (default now), aggregationInterval (a duration,
 * default PT1H; at most 10,000 intervals); names are case-insensitive, startTime/endTime too.
 */
export async function learningMetrics(
  store: Pick<LoopStore, "rewardBuckets">,
  loopId: string,
  query: Record<string, unknown>,
  now: number,
  style: DurationStyle,
): Promise<LearningMetrics> {
  const endRaw = param(query, ["enddate", "endtime", "to"]);
  const startRaw = param(query, ["startdate", "starttime", "from"]);
  const intervalRaw = param(query, ["aggregationinterval", "interval"]);
  const to = endRaw === undefined ? now : date(endRaw, "endDate");
  const from = startRaw === undefined ? to - DAY_MS : date(startRaw, "startDate");
  if (from >= to) invalid("startDate", "must be before endDate");
  const seconds = intervalRaw === undefined ? 3600 : parseDuration(intervalRaw, "aggregationInterval");
  const bucketMs = Math.round(seconds * 1000);
  if (bucketMs < 1000) invalid("aggregationInterval", "must be at least one second");
  if ((to - from) / bucketMs > MAX_BUCKETS) {
    invalid("aggregationInterval", `gives more than ${MAX_BUCKETS} intervals over the range; choose a longer one`);
  }
  const buckets = await store.rewardBuckets(loopId, { from, to, bucketMs });
  let count = 0;
  let sum = 0;
  for (const b of buckets) {
    count += b.rewards;
    sum += b.rewardSum;
  }
  return {
    startDate: new Date(from).toISOString(),
    endDate: new Date(to).toISOString(),
    aggregationInterval: formatDuration(bucketMs / 1000, style),
    averageReward: count === 0 ? null : sum / count,
    rewardCount: count,
    values: buckets.map((b) => ({
      timeStamp: new Date(b.start).toISOString(),
      averageReward: b.rewardSum / b.rewards,
      rewardCount: b.rewards,
    })),
  };
}

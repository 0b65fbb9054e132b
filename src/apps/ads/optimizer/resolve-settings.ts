import { readBoolean, readEnum, readNumber } from "../../../domain/validate.js";
import type { OptimizerSettings, Strategy } from "./optimizer-types.js";
import { STRATEGY_PRESETS } from "./strategy-presets.js";

/** Settings with every default filled in (strategy presets), validated. */
export interface ResolvedSettings {
  strategy: Strategy;
  targetAcos: number;
  /** targetAcos × the strategy's targetFactor: the ACoS the optimizer steers to. */
  effectiveTarget: number;
  multipliers: number[];
  minClicks: number;
  minSpend: number;
  maxChange: number;
  cooldownDays: number;
  minBid: number | undefined;
  maxBid: number | undefined;
  modelWeight: number;
  margin: number;
  discoverThinKeywords: boolean;
}

/**
 * Without a margin the target is read as 62.5% of the break-even ACoS (margin = 1.6 × target):
 * sellers set targets below break-even, and a margin above the target is what makes "more
 * sales at the target" worth more than fewer sales below it.
 */
export const DEFAULT_MARGIN_PER_TARGET = 1.6;

const STRATEGIES = ["aggressive", "balanced", "conservative"] as const;

export function resolveSettings(s: OptimizerSettings): ResolvedSettings {
  const strategy = readEnum(s.strategy, "settings.strategy", STRATEGIES);
  const preset = STRATEGY_PRESETS[strategy];
  const targetAcos = readNumber(s.targetAcos, "settings.targetAcos", { exclusiveMin: 0, max: 10 });
  const opt = (v: number | undefined, field: string, fallback: number, o: Parameters<typeof readNumber>[2]) =>
    v === undefined ? fallback : readNumber(v, `settings.${field}`, o);
  let multipliers = [...preset.multipliers];
  if (s.multipliers !== undefined) {
    if (!Array.isArray(s.multipliers) || s.multipliers.length === 0 || s.multipliers.length > 32) {
      readNumber(Number.NaN, "settings.multipliers", {}); // throws: must be a non-empty list of numbers
    }
    multipliers = s.multipliers.map((m, i) => readNumber(m, `settings.multipliers[${i}]`, { min: 0.1, max: 10 }));
    if (!multipliers.includes(1)) multipliers.push(1); // holding is always an option to compare with
    multipliers = [...new Set(multipliers)].sort((a, b) => a - b);
  }
  const minBid = s.minBid === undefined ? undefined : readNumber(s.minBid, "settings.minBid", { exclusiveMin: 0 });
  const maxBid = s.maxBid === undefined ? undefined : readNumber(s.maxBid, "settings.maxBid", { exclusiveMin: 0 });
  if (minBid !== undefined && maxBid !== undefined && minBid > maxBid) {
    readNumber(maxBid, "settings.maxBid", { min: minBid }); // throws: maxBid must be >= minBid
  }
  return {
    strategy,
    targetAcos,
    effectiveTarget: targetAcos * preset.targetFactor,
    multipliers,
    minClicks: opt(s.minClicks, "minClicks", preset.minClicks, { min: 0 }),
    minSpend: opt(s.minSpend, "minSpend", preset.minSpend, { min: 0 }),
    maxChange: opt(s.maxChange, "maxChange", preset.maxChange, { exclusiveMin: 0, max: 10 }),
    cooldownDays: opt(s.cooldownDays, "cooldownDays", preset.cooldownDays, { min: 0, max: 365, integer: true }),
    minBid,
    maxBid,
    modelWeight: opt(s.modelWeight, "modelWeight", preset.modelWeight, { min: 0, max: 1 }),
    margin: opt(s.margin, "margin", targetAcos * DEFAULT_MARGIN_PER_TARGET, { exclusiveMin: 0, max: 10 }),
    discoverThinKeywords:
      s.discoverThinKeywords === undefined
        ? true
        : readBoolean(s.discoverThinKeywords, "settings.discoverThinKeywords"),
  };
}

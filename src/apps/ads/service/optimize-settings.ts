import { BanditryError } from "../../../domain/errors.js";
import type { OptimizerSettings, Strategy } from "../optimizer/optimizer-types.js";

export const STRATEGIES: readonly Strategy[] = ["aggressive", "balanced", "conservative"];

/** An optimization run: the optimizer's settings and what to do with the plan. */
export interface OptimizeRequest {
  settings: OptimizerSettings;
  /** true (default): store the plan only; false: execute every change at once. */
  dryRun: boolean;
  /** Execute the changes whose confidence ≥ minConfidence directly (the others are skipped). */
  autoExecute: boolean;
  minConfidence: number;
  /** The schedule that asked for the run, if any. */
  scheduleId?: string;
}

const NUMBER_SETTINGS = [
  "minClicks",
  "minSpend",
  "maxChange",
  "cooldownDays",
  "minBid",
  "maxBid",
  "modelWeight",
  "margin",
] as const;

function bad(field: string, message: string): never {
  throw new BanditryError("BANDITRY_VALIDATION", `${field} ${message}`, { field });
}

/** Checks an optimize request's fields (the optimizer checks its settings' ranges again). */
export function readOptimizeRequest(raw: Record<string, unknown>): OptimizeRequest {
  const strategy = raw["strategy"] ?? "balanced";
  if (!STRATEGIES.includes(strategy as Strategy)) bad("strategy", `must be one of ${STRATEGIES.join(", ")}`);
  const targetAcos = raw["targetAcos"] ?? 0.25;
  if (typeof targetAcos !== "number" || !(targetAcos > 0 && targetAcos <= 10)) {
    bad("targetAcos", `must be a number in (0, 10], got ${JSON.stringify(targetAcos)}`);
  }
  const settings: OptimizerSettings = { strategy: strategy as Strategy, targetAcos };
  for (const name of NUMBER_SETTINGS) {
    const v = raw[name];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0)
      bad(name, `must be a number >= 0, got ${JSON.stringify(v)}`);
    settings[name] = v;
  }
  const multipliers = raw["multipliers"];
  if (multipliers !== undefined) {
    if (
      !Array.isArray(multipliers) ||
      multipliers.length === 0 ||
      multipliers.some((m) => typeof m !== "number" || !(m > 0))
    ) {
      bad("multipliers", "must be a non-empty list of positive numbers");
    }
    settings.multipliers = multipliers as number[];
  }
  const dryRun = raw["dryRun"] ?? true;
  if (typeof dryRun !== "boolean") bad("dryRun", "must be true or false");
  const autoExecute = raw["autoExecute"] ?? false;
  if (typeof autoExecute !== "boolean") bad("autoExecute", "must be true or false");
  const minConfidence = raw["minConfidence"] ?? 0.8;
  if (typeof minConfidence !== "number" || !(minConfidence >= 0 && minConfidence <= 1)) {
    bad("minConfidence", `must be a number in [0, 1], got ${JSON.stringify(minConfidence)}`);
  }
  return { settings, dryRun, autoExecute, minConfidence };
}

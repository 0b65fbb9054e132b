import { BanditryError } from "../../../domain/errors.js";
import type { AdsCadence, AdsSchedulePatch } from "../../../stores/stores.js";
import type { Strategy } from "../optimizer/optimizer-types.js";
import { STRATEGIES } from "./optimize-settings.js";

export const CADENCES: readonly AdsCadence[] = ["hourly", "daily", "weekly"];

export const CADENCE_MS: Readonly<Record<AdsCadence, number>> = {
  hourly: 3_600_000,
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
};

export interface ScheduleInput {
  profileId: string;
  cadence: AdsCadence;
  strategy: Strategy;
  targetAcos: number;
  autoExecute: boolean;
  minConfidence: number;
  enabled: boolean;
}

function bad(field: string, message: string): never {
  throw new BanditryError("BANDITRY_VALIDATION", `${field} ${message}`, { field });
}

/** The settable fields of a schedule; `create` requires profileId and fills defaults. */
export function readScheduleFields(raw: Record<string, unknown>): AdsSchedulePatch {
  const out: AdsSchedulePatch = {};
  const { cadence, strategy, targetAcos, autoExecute, minConfidence, enabled } = raw;
  if (cadence !== undefined) {
    if (!CADENCES.includes(cadence as AdsCadence)) bad("cadence", `must be one of ${CADENCES.join(", ")}`);
    out.cadence = cadence as AdsCadence;
  }
  if (strategy !== undefined) {
    if (!STRATEGIES.includes(strategy as Strategy)) bad("strategy", `must be one of ${STRATEGIES.join(", ")}`);
    out.strategy = strategy as Strategy;
  }
  if (targetAcos !== undefined) {
    if (typeof targetAcos !== "number" || !(targetAcos > 0 && targetAcos <= 10)) {
      bad("targetAcos", `must be a number in (0, 10], got ${JSON.stringify(targetAcos)}`);
    }
    out.targetAcos = targetAcos;
  }
  if (autoExecute !== undefined) {
    if (typeof autoExecute !== "boolean") bad("autoExecute", "must be true or false");
    out.autoExecute = autoExecute;
  }
  if (minConfidence !== undefined) {
    if (typeof minConfidence !== "number" || !(minConfidence >= 0 && minConfidence <= 1)) {
      bad("minConfidence", `must be a number in [0, 1], got ${JSON.stringify(minConfidence)}`);
    }
    out.minConfidence = minConfidence;
  }
  if (enabled !== undefined) {
    if (typeof enabled !== "boolean") bad("enabled", "must be true or false");
    out.enabled = enabled;
  }
  return out;
}

export function readScheduleInput(raw: Record<string, unknown>): ScheduleInput {
  const profileId = raw["profileId"];
  if (typeof profileId !== "string" || !/^\d{1,20}$/.test(profileId)) {
    bad("profileId", `must be a decimal profile id string, got ${JSON.stringify(profileId)}`);
  }
  const f = readScheduleFields(raw);
  return {
    profileId,
    cadence: f.cadence ?? "daily",
    strategy: f.strategy ?? "balanced",
    targetAcos: f.targetAcos ?? 0.25,
    autoExecute: f.autoExecute ?? false,
    minConfidence: f.minConfidence ?? 0.8,
    enabled: f.enabled ?? true,
  };
}

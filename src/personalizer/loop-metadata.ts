import type { Experiment } from "../domain/experiment.js";
import { isPlainObject } from "../domain/validate.js";
import { DEFAULT_POLICY } from "./default-policy.js";

/**
 * What a loop keeps of Personalizer's settings that banditry itself does not act on, under
 * experiment.metadata.personalizer. Durations in seconds; dates as ISO strings.
 */
export interface LoopMetadata {
  modelExportFrequencySeconds: number;
  logRetentionDays: number;
  isAutoOptimizationEnabled: boolean;
  autoOptimizationFrequencySeconds: number | null;
  autoOptimizationStartDate: string | null;
  logMirrorEnabled: boolean | null;
  logMirrorSasUri: string | null;
  lastConfigurationEditDate: string;
  isInferenceExplainabilityEnabled: boolean;
  policy: { name: string; arguments: string };
}

export const METADATA_KEY = "personalizer";

export function defaultLoopMetadata(now: number): LoopMetadata {
  return {
    modelExportFrequencySeconds: 300,
    logRetentionDays: -1,
    isAutoOptimizationEnabled: false,
    autoOptimizationFrequencySeconds: null,
    autoOptimizationStartDate: null,
    logMirrorEnabled: null,
    logMirrorSasUri: null,
    lastConfigurationEditDate: new Date(now).toISOString(),
    isInferenceExplainabilityEnabled: false,
    policy: { ...DEFAULT_POLICY },
  };
}

/** The loop's metadata, defaults filled in for anything missing (an experiment made through v1 too). */
export function loopMetadata(experiment: Pick<Experiment, "metadata" | "createdAt">): LoopMetadata {
  const stored = experiment.metadata?.[METADATA_KEY];
  const base = defaultLoopMetadata(experiment.createdAt);
  if (!isPlainObject(stored)) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const key of Object.keys(base) as (keyof LoopMetadata)[]) {
    const v = stored[key];
    if (v !== undefined && (v === null || typeof v === typeof base[key] || base[key] === null)) out[key] = v;
  }
  const policy = stored.policy;
  out.policy =
    isPlainObject(policy) && typeof policy.name === "string" && typeof policy.arguments === "string"
      ? { name: policy.name, arguments: policy.arguments }
      : base.policy;
  return out as unknown as LoopMetadata;
}

/** The experiment's metadata with the loop's part replaced (other keys kept). */
export function withLoopMetadata(
  experiment: Pick<Experiment, "metadata">,
  loop: LoopMetadata,
): Record<string, unknown> {
  return { ...(experiment.metadata ?? {}), [METADATA_KEY]: loop };
}

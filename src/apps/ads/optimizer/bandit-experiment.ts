import { isBanditryError } from "../../../domain/errors.js";
import type { Experiment } from "../../../domain/experiment.js";
import type { DecisionService } from "../../../engine/decision-service.js";
import type { Strategy } from "./optimizer-types.js";

export type BanditService = Pick<
  DecisionService,
  "getExperiment" | "createExperiment" | "addArm" | "setArmState" | "decide"
>;

/** Borrowing from the profile-wide posterior: worth this many rewards in a segment. */
export const SEGMENT_PSEUDO_COUNT = 8;
/** Old rewards fade (half weight after 60 days): a keyword's best step changes as its bid moves. */
export const DECAY_HALF_LIFE_SECONDS = 60 * 86_400;

/** One experiment per profile and strategy: the strategies' arms differ. */
export function banditExperimentId(profileId: string, strategy: Strategy): string {
  return `ads-bids-${profileId}-${strategy}`;
}

export function multiplierArmId(multiplier: number): string {
  return `x${multiplier}`;
}

/**
 * Makes sure the profile's bandit exists with one active arm per multiplier (value
 * {multiplier}); arms no longer in the set are paused, not deleted, so their history stays.
 * Gaussian rewards (change-reward.ts), a neutral prior centred on "no improvement", a segment
 * per keyword (or pooled unit, see pooling-segment.ts) borrowing from the experiment-wide
 * posterior, rewards counted once (earliest).
 */
export async function ensureBanditExperiment(
  service: BanditService,
  id: string,
  multipliers: readonly number[],
): Promise<Experiment> {
  let experiment: Experiment;
  try {
    experiment = await service.getExperiment(id);
  } catch (e) {
    if (!isBanditryError(e) || e.code !== "BANDITRY_EXPERIMENT_NOT_FOUND") throw e;
    try {
      return await service.createExperiment({
        id,
        name: `Sponsored Products bids ${id}`,
        reward: "gaussian",
        arms: multipliers.map((m) => ({ id: multiplierArmId(m), label: `bid × ${m}`, value: { multiplier: m } })),
        prior: { mu: 0, kappa: 1, alpha: 2, beta: 0.5 },
        segmentKeys: ["keywordId"],
        segmentPseudoCount: SEGMENT_PSEUDO_COUNT,
        decayHalfLife: DECAY_HALF_LIFE_SECONDS,
        rewardAggregation: "earliest",
        metadata: { app: "ads-bid-optimizer" },
      });
    } catch (err) {
      if (!isBanditryError(err) || err.code !== "BANDITRY_EXPERIMENT_EXISTS") throw err;
      experiment = await service.getExperiment(id); // created concurrently
    }
  }
  const wanted = new Set(multipliers.map(multiplierArmId));
  for (const m of multipliers) {
    const armId = multiplierArmId(m);
    const arm = experiment.arms.find((a) => a.id === armId);
    if (!arm) experiment = await service.addArm(id, { id: armId, label: `bid × ${m}`, value: { multiplier: m } });
    else if (arm.state !== "active") experiment = await service.setArmState(id, armId, { state: "active" });
  }
  for (const arm of experiment.arms) {
    if (arm.state === "active" && !wanted.has(arm.id)) {
      experiment = await service.setArmState(id, arm.id, { state: "paused" });
    }
  }
  return experiment;
}

import type { DecisionFeatures, RankedArm } from "../domain/decision.js";
import type { DecideResult } from "./decision-service.js";

/** What a decision chose, before it is logged. */
export interface Choice {
  armId: string;
  segment: string;
  ranking: RankedArm[] | null;
  /** JSON.stringify(ranking), when made already. */
  rankingText?: string;
  propensity: number | null;
  seed: number;
  features?: DecisionFeatures;
  /** JSON.stringify(features). */
  featuresText?: string;
  /** Decision.featureSpans. */
  featureSpans?: number[];
  /** Decision.featureDigests. */
  featureDigests?: (string | null)[];
  explanation?: DecideResult["explanation"];
}

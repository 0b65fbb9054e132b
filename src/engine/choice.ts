import type { DecisionFeatures, RankedArm } from "../domain/decision.js";
import type { DecideResult } from "./decision-service.js";

/** What a decision chose, before it is logged. */
export interface Choice {
  armId: string;
  segment: string;
  ranking: RankedArm[] | null;
  propensity: number | null;
  seed: number;
  features?: DecisionFeatures;
  /** JSON.stringify(features). */
  featuresText?: string;
  explanation?: DecideResult["explanation"];
}

import type { DecisionFeatures } from "../domain/decision.js";

/** One logged decision as the evaluation replays it: what was chosen, with what probability, and its outcome. */
export interface LoggedRecord {
  eventId: string;
  createdAt: number;
  segment: string;
  armId: string;
  /** The logging policy's probability of armId; null when it was not computed. */
  propensity: number | null;
  /**
   * The reward the decision counts with: its rewards aggregated as the experiment does (earliest:
   * the first; sum: their sum), else the experiment's defaultReward, else 0.
   */
  reward: number;
  /** When candidates learn that reward: its first reward's time, else createdAt + the reward wait (0 without one). */
  learnAt: number;
  /** Linear experiments: the logged features; null otherwise. */
  features: DecisionFeatures | null;
}

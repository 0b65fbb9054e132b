import type { Strategy } from "./optimizer-types.js";

/** What a strategy sets when the settings leave it open. */
export interface StrategyPreset {
  multipliers: readonly number[];
  /** Largest relative change of a bid in one step. */
  maxChange: number;
  minClicks: number;
  minSpend: number;
  cooldownDays: number;
  modelWeight: number;
  /**
   * The ACoS the optimizer aims at, relative to the target: aggressive accepts 10% above it to
   * grow sales, conservative keeps 10% below it as a safety margin against noisy estimates.
   */
  targetFactor: number;
}

/**
 * The three strategies. They differ in how far one step may move a bid (multiplier set and
 * step cap), how much evidence they want before acting, how long they wait after a change
 * (the cooldown is also the reward's evaluation window), and where they put the ACoS goal.
 */
export const STRATEGY_PRESETS: Readonly<Record<Strategy, StrategyPreset>> = {
  aggressive: {
    multipliers: [0.6, 0.75, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75],
    maxChange: 0.35,
    minClicks: 6,
    minSpend: 3,
    cooldownDays: 3,
    modelWeight: 0.6,
    targetFactor: 1.1,
  },
  balanced: {
    multipliers: [0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.5],
    maxChange: 0.25,
    minClicks: 10,
    minSpend: 5,
    cooldownDays: 5,
    modelWeight: 0.6,
    targetFactor: 1.0,
  },
  conservative: {
    multipliers: [0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15],
    maxChange: 0.15,
    minClicks: 20,
    minSpend: 10,
    cooldownDays: 7,
    modelWeight: 0.6,
    targetFactor: 0.9,
  },
};

import { DEFAULT_LINEAR_LEARNING_OPTIONS, type LinearLearningOptions } from "./linear/linear-learning.js";

export interface EngineOptions {
  /** Group commit: the longest a queued event waits for company (ms); 0 = until the end of the event-loop turn. */
  flushIntervalMs: number;
  maxBatch: number;
  /** How often memory is refreshed from the store (other instances' writes), ms; 0 = never. */
  refreshIntervalMs: number;
  /** How often due default rewards are applied, ms; 0 = never. */
  defaultRewardIntervalMs: number;
  /** Decisions kept in memory for reward lookups. */
  recentDecisions: number;
  /** Monte Carlo draws for propensities. */
  propensityDraws: number;
  /** Seed of the generator that seeds every decision; random when undefined. */
  seed?: number;
  maxRewardBatch: number;
  /**
   * Linear experiments under `linear.policy: "exact"`: Monte Carlo draws behind the probabilities
   * of a rank, unless the experiment's `linear.draws` sets them (200: standard error ≤ 0.036).
   */
  linearDraws: number;
  /**
   * Linear experiments: how the model tails the learning log, how often it is snapshotted, how
   * a rank decides (its posterior draw pool, or exact per-decision draws) and how often the pool
   * is redrawn (see linear/pool-keeper.ts).
   */
  linear: LinearLearningOptions;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  flushIntervalMs: 0,
  maxBatch: 2000,
  refreshIntervalMs: 1000,
  defaultRewardIntervalMs: 1000,
  recentDecisions: 200_000,
  propensityDraws: 1000,
  maxRewardBatch: 10_000,
  linearDraws: 200,
  linear: DEFAULT_LINEAR_LEARNING_OPTIONS,
};

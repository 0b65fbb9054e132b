import type { Rng } from "../stats/rng.js";
import type { LoggedRecord } from "./logged-record.js";

/** A candidate's choice probabilities for one decision, sparse over the evaluation's action indices. */
export interface ActionDistribution {
  actions: number[];
  probabilities: number[];
}

/**
 * A candidate policy replayed over the log (progressive validation): asked for its choice
 * probabilities at each logged decision, and taught each logged reward when it arrived.
 */
export interface CandidateReplay {
  distribution(record: LoggedRecord, rng: Rng): ActionDistribution;
  learn(record: LoggedRecord): void;
  /** Monte Carlo draws behind a distribution (0 when exact). */
  readonly monteCarloDraws: number;
  featureImportance?(limit: number): { name: string; weight: number }[];
}

import type { LearningMode } from "../../domain/experiment.js";
import type { ResolvedLinearThompsonOptions } from "../../stats/linear/linear-thompson-options.js";
import type { PosteriorPool } from "../../stats/linear/posterior-pool.js";
import type { ExperimentRecord } from "../../stores/stores.js";
import type { LinearDecision } from "./linear-decision.js";

/** The experiment settings a linear decision of the pool policy depends on (one object per record). */
export interface LinearRankSettings {
  explorationShare: number;
  learningMode: LearningMode;
  /** Arms that are paused or retired: never chosen. */
  inactive: readonly string[];
}

/**
 * What a linear decision made elsewhere (another thread) needs: the settings, the model's
 * options (its feature space) and pool, and the decision's seed. Objects are replaced, never
 * changed, so identity tells whether a copy is current.
 */
export interface LinearRankState {
  settings: LinearRankSettings;
  options: Readonly<ResolvedLinearThompsonOptions>;
  /** The pool to rank with; undefined in logging-only mode (no model call). */
  pool: PosteriorPool | undefined;
  seed: number;
}

/** A decision made elsewhere from `state`, to be logged as the engine's (DecideInput.prepared). */
export interface PreparedLinearDecision {
  state: LinearRankState;
  /** The offered action ids: new ones become arms. */
  ids: readonly string[];
  decision: LinearDecision;
}

/** The experiment's settings changed after `state` was taken: the decision must be made again. */
export class StaleLinearState extends Error {
  constructor() {
    super("the experiment's settings changed while the decision was made elsewhere");
    this.name = "StaleLinearState";
  }
}

const byRecord = new WeakMap<ExperimentRecord, LinearRankSettings>();

/** The record's LinearRankSettings, the same object for the same record. */
export function linearRankSettings(record: ExperimentRecord): LinearRankSettings {
  let settings = byRecord.get(record);
  if (settings === undefined) {
    settings = {
      explorationShare: record.explorationShare,
      learningMode: record.learningMode,
      inactive: record.arms.filter((a) => a.state !== "active").map((a) => a.id),
    };
    byRecord.set(record, settings);
  }
  return settings;
}

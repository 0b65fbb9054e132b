/**
 * Table types of the one schema both dialects share (see migrations/). Booleans are integers
 * 0/1 and JSON is text, so that every column type means the same on SQLite and PostgreSQL.
 */
export interface Database {
  experiments: ExperimentsTable;
  arms: ArmsTable;
  decisions: DecisionsTable;
  rewards: RewardsTable;
  posteriors: PosteriorsTable;
  group_stats: GroupStatsTable;
  api_keys: ApiKeysTable;
  linear_snapshots: LinearSnapshotsTable;
  feature_texts: FeatureTextsTable;
}

/** An action's features text, stored once per experiment (see FeatureTextLog). */
export interface FeatureTextsTable {
  experiment_id: string;
  /** FeatureTextLog's digest of the text. */
  digest: string;
  text: string;
}

export interface LinearSnapshotsTable {
  experiment_id: string;
  /** JSON of the model state (LinearThompsonJSON). */
  model: string;
  /** JSON of the learning-log position the model includes. */
  position: string;
  updated_at: number;
}

export interface ExperimentsTable {
  id: string;
  name: string;
  status: string;
  /** JSON of the experiment's configuration (ExperimentConfig). */
  config: string;
  decay_landmark: number;
  created_at: number;
  updated_at: number;
}

export interface ArmsTable {
  experiment_id: string;
  id: string;
  /** Keeps the arms in the order they were added. */
  position: number;
  label: string | null;
  /** JSON, null when the arm has no value. */
  value: string | null;
  state: string;
  created_at: number;
}

export interface DecisionsTable {
  event_id: string;
  experiment_id: string;
  segment: string;
  context: string | null;
  unit_id: string | null;
  arm_id: string;
  ranking: string | null;
  propensity: number | null;
  grp: string;
  seed: number;
  activated: number;
  created_at: number;
  /** Rewards recorded (applied or stored) for this decision. */
  reward_count: number;
  /** When the default reward is due; null once a reward is recorded or when there is no wait. */
  default_due_at: number | null;
  /**
   * JSON of Decision.features (linear experiments), else null; an action's `"features":…` may be
   * `"ref":"<digest>"` instead, its text in feature_texts (FeatureTextLog).
   */
  features: string | null;
}

export interface RewardsTable {
  event_id: string;
  /** 1 for the decision's first reward, 2 for its second (sum aggregation), … */
  seq: number;
  experiment_id: string;
  value: number;
  is_default: number;
  created_at: number;
  /** 0 while the decision is not activated: the evidence waits here until activation. */
  applied: number;
  /** When the reward started to count for learning (recorded on an active decision, or its activation); null while stored. */
  applied_at: number | null;
  n: number;
  s1: number;
  s2: number;
}

export interface PosteriorsTable {
  experiment_id: string;
  segment: string;
  arm_id: string;
  pulls: number;
  rewards: number;
  reward_sum: number;
  n: number;
  s1: number;
  s2: number;
  updated_at: number;
}

export interface GroupStatsTable {
  experiment_id: string;
  grp: string;
  decisions: number;
  rewards: number;
  reward_sum: number;
  reward_sum_sq: number;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  hash: string;
  /** JSON array of scopes. */
  scopes: string;
  experiment_id: string | null;
  created_at: number;
  revoked_at: number | null;
}

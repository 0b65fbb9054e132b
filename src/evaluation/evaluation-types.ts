/**
 * Offline (counterfactual) evaluation of candidate policies over an experiment's logged
 * decisions: the contract between the evaluation service (src/evaluation), the v1 routes, the
 * Personalizer-compatible routes and `banditry evaluate`.
 */

/**
 * A candidate policy. `arguments` is either an options object or a Personalizer/Vowpal-Wabbit
 * style command line ("--epsilon 0.2 --lambda 1 -q ::"); the service documents which flags it reads.
 */
export interface CandidatePolicy {
  name: string;
  arguments?: string | Record<string, unknown>;
}

export interface EvaluationRequest {
  experimentId: string;
  name: string;
  /** Logged decisions with createdAt in [from, to) (ms). */
  from: number;
  to: number;
  policies: CandidatePolicy[];
  /** Seed of the Monte Carlo parts (default: fixed, so a repeated evaluation gives the same figures). */
  seed?: number;
}

export interface Estimate {
  value: number;
  /** 95% confidence interval. */
  lower: number;
  upper: number;
}

export interface PolicyEvaluation {
  policy: CandidatePolicy;
  /** Decisions the estimate rests on (logged with a propensity and a reward, or counted as 0 reward when none came). */
  events: number;
  ips: Estimate;
  snips: Estimate;
  doublyRobust: Estimate;
  /**
   * Personalizer's summary fields: ipsEstimatorNumerator = Σ r·π/p, ipsEstimatorDenominator = n
   * (IPS divides by the number of events), snipsEstimatorDenominator = Σ π/p.
   */
  ipsEstimatorNumerator: number;
  ipsEstimatorDenominator: number;
  snipsEstimatorDenominator: number;
  /** Effective sample size of the importance weights. */
  effectiveSampleSize: number;
  /** Linear policies: the features with the largest learned weights. */
  featureImportance?: { name: string; weight: number }[];
  /** Argument flags the service does not read (VW flags without a counterpart here), as given. */
  ignoredArguments?: string[];
  /** Monte Carlo draws behind π per decision; 0 when π is exact (uniform, epsilon-greedy, ucb1, fixed). */
  monteCarloDraws?: number;
}

export type EvaluationStatus = "pending" | "running" | "succeeded" | "failed";

export interface EvaluationRecord {
  id: string;
  experimentId: string;
  name: string;
  status: EvaluationStatus;
  from: number;
  to: number;
  policies: CandidatePolicy[];
  /** Seed of the Monte Carlo parts, so the evaluation can be repeated exactly. */
  seed?: number;
  /** The logged policy's own average reward over the same decisions (on-policy value). */
  loggedAverageReward: number | null;
  /** Its 95% confidence interval (null with the average). */
  loggedAverage?: Estimate | null;
  /** Logged decisions in [from, to), and those left out: no propensity (or 0), or (linear) no logged features. */
  decisions?: { total: number; withoutPropensity: number; withoutFeatures: number } | null;
  results: PolicyEvaluation[] | null;
  error: { code: string; message: string } | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface EvaluationService {
  /** Validates, stores the record as pending and runs it in the background; resolves with the pending record. */
  create(request: unknown): Promise<EvaluationRecord>;
  /** Runs to the end and resolves with the finished record (CLI, tests). */
  run(request: unknown): Promise<EvaluationRecord>;
  /** Throws BANDITRY_EVALUATION_NOT_FOUND. */
  get(id: string): Promise<EvaluationRecord>;
  list(experimentId?: string): Promise<EvaluationRecord[]>;
  /** Throws BANDITRY_EVALUATION_NOT_FOUND. */
  delete(id: string): Promise<void>;
  /** Waits for background runs (server shutdown). */
  close(): Promise<void>;
}

import { evidenceOf } from "../engine/evidence.js";
import { ExperimentModel } from "../engine/experiment-model.js";
import { createPolicy } from "../stats/policies/registry.js";
import { selectionProbabilities } from "../stats/ranking/selection-probabilities.js";
import type { Rng } from "../stats/rng.js";
import type { ExperimentRecord } from "../stores/stores.js";
import type { ActionDistribution, CandidateReplay } from "./candidate-replay.js";
import type { LoggedRecord } from "./logged-record.js";
import type { ResolvedCandidate } from "./resolved-candidate.js";

/** Re-base forward decay before 2^x grows toward the double range, as the engine does. */
const MAX_DECAY_EXPONENT = 500;

/**
 * A context-free candidate replayed with the engine's own model (ExperimentModel): the
 * experiment's prior, segments (borrowing segmentPseudoCount observations from the rest of the
 * experiment) and decay, with the candidate's policy. The candidate chooses among `arms` (the
 * evaluation's arms: not retired now, or logged in the range: the arms offered at each past
 * decision are not logged, so this is the closest stand-in).
 */
export class SegmentReplay implements CandidateReplay {
  readonly monteCarloDraws: number;
  private readonly model: ExperimentModel;
  /** Model arm index (activeArms order) → evaluation action index. */
  private readonly toAction: number[];
  private readonly fixed: number | null;

  constructor(
    private readonly candidate: Extract<ResolvedCandidate, { kind: "segment" }>,
    experiment: ExperimentRecord,
    arms: readonly string[],
    actionIndex: ReadonlyMap<string, number>,
    start: number,
  ) {
    const eligible = new Set(arms);
    const record: ExperimentRecord = {
      ...experiment,
      policy: candidate.policyKind ?? "uniform",
      policyOptions: candidate.policyOptions,
      decayLandmark: start,
      arms: experiment.arms.map((a) => ({ ...a, state: eligible.has(a.id) ? "active" : "retired" })),
    };
    this.model = new ExperimentModel(record);
    this.toAction = this.model.activeArms.map((i) => actionIndex.get(this.model.armId(i))!);
    this.fixed = candidate.fixedArm === null ? null : actionIndex.get(candidate.fixedArm)!;
    this.monteCarloDraws =
      candidate.policyKind === null || createPolicy(record.policy, record.policyOptions).exactProbabilities
        ? 0
        : candidate.draws;
  }

  distribution(record: LoggedRecord, rng: Rng): ActionDistribution {
    if (this.fixed !== null) return { actions: [this.fixed], probabilities: [1] };
    const posteriors = this.model.posteriorsFor(record.segment, record.createdAt);
    const { probabilities } = selectionProbabilities(this.model.policy, posteriors, rng, {
      draws: this.candidate.draws,
    });
    const share = this.candidate.explorationShare;
    const uniform = share / probabilities.length;
    return {
      actions: this.toAction,
      probabilities: Array.from(probabilities, (p) => (1 - share) * p + uniform),
    };
  }

  learn(record: LoggedRecord): void {
    const arm = this.model.armIndex.get(record.armId);
    if (arm === undefined) return;
    const m = this.model;
    const h = m.record.decayHalfLife;
    if (h !== null && (record.learnAt - m.record.decayLandmark) / (h * 1000) > MAX_DECAY_EXPONENT) {
      m.scaleEvidence(m.decayFactor(record.learnAt));
      m.record = { ...m.record, decayLandmark: record.learnAt };
    }
    const e = evidenceOf(m.record.reward, m.record.prior, record.reward, m.evidenceScale(record.learnAt));
    m.addPull(record.segment, arm);
    m.addEvidence(record.segment, arm, e, record.reward);
  }
}

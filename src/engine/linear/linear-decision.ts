import type { DecisionFeatures, RankedArm } from "../../domain/decision.js";
import type { Group } from "../../domain/experiment.js";
import { FeatureTextDigests } from "../../domain/feature-text-digests.js";
import { invalid } from "../../domain/validate.js";
import type { PosteriorPool } from "../../stats/linear/posterior-pool.js";
import type { Rng } from "../../stats/rng.js";
import type { ExperimentRecord, ExperimentStore } from "../../stores/stores.js";
import type { DecideInput, DecideResult } from "../decision-service.js";
import type { ExperimentModel } from "../experiment-model.js";
import { armStates } from "./arm-states.js";
import { decisionFeaturesText } from "./decision-features-text.js";
import { ensureActionArms } from "./ensure-action-arms.js";
import { linearChoice } from "./linear-choice.js";
import type { LinearLearner } from "./linear-learner.js";
import type { LinearLearning } from "./linear-learning.js";
import { linearRankSettings, type PreparedLinearDecision, StaleLinearState } from "./linear-rank-state.js";
import { readLinearInput } from "./read-linear-input.js";

/** The digests of the action texts this process's linear decisions log (Decision.featureDigests). */
const featureDigests = new FeatureTextDigests();

/** What a linear decision needs from its engine. */
export interface LinearDecisionDeps {
  experimentStore: Pick<ExperimentStore, "addArm" | "get">;
  learning: LinearLearning;
  now: () => number;
  /** Applies a newer record of the experiment to the engine's model (and its learner). */
  saveRecord(model: ExperimentModel, record: ExperimentRecord): void;
  /** Draws one seed per decision. */
  seeder: Rng;
  /** Re-seeded with the decision's seed; shared by the engine's decisions. */
  decisionRng: Rng;
  /** Monte Carlo draws of the "exact" policy, unless the experiment's `linear.draws` sets them. */
  draws: number;
  /** "pool": the model's posterior draw pool decides; "exact": a fresh draw per decision. */
  policy: "pool" | "exact";
}

/** A linear decision, before it is logged. */
export interface LinearDecision {
  armId: string;
  ranking: RankedArm[];
  /** JSON.stringify(ranking), when made already (a decision made elsewhere). */
  rankingText?: string;
  propensity: number;
  seed: number;
  /** What the model saw (absent when the decision was made elsewhere: featuresText has it). */
  features?: DecisionFeatures;
  /** JSON.stringify(features). */
  featuresText: string;
  /** Decision.featureSpans. */
  featureSpans?: number[];
  /** Decision.featureDigests. */
  featureDigests?: (string | null)[];
  explanation?: DecideResult["explanation"];
}

/**
 * Linear experiments: the offered actions (new ids become arms), ranked by the experiment's
 * linear model with its exploration share and learning mode (see linear-choice.ts).
 *
 * Replay: the decision's seed drives everything after the last await (the pool member, ties,
 * the exploration draw, control assignment order); with the same pool (its own seed and the
 * model state it was drawn from) it reproduces the decision.
 */
export async function linearDecision(
  deps: LinearDecisionDeps,
  model: ExperimentModel,
  input: DecideInput,
  group: Group,
): Promise<LinearDecision> {
  if (input.k !== undefined && input.k !== 1) {
    invalid("k", "is not used by linear experiments: the ranking always lists every offered action");
  }
  if (input.prepared !== undefined) return preparedDecision(deps, model, input.prepared, group);
  const lin = readLinearInput(input);
  const ids = lin.actions.map((a) => a.id);
  const record = await withActionArms(deps, model, ids);
  const learner = await deps.learning.learner(model.record);
  const states = armStates(record);
  const inactive = new Set(ids.filter((id) => states.get(id) !== "active"));
  const pool = decisionPool(deps.policy, record, learner);
  const seed = deps.seeder.nextU32();
  const rng = deps.decisionRng;
  rng.reseed(seed); // after every await: the generator is shared by concurrent decisions
  const c = linearChoice(
    learner.model,
    lin,
    {
      group,
      control: record.control,
      explorationShare: record.explorationShare,
      learningMode: record.learningMode,
      draws: typeof record.linear?.draws === "number" ? record.linear.draws : deps.draws,
      inactive,
      ...(pool === undefined ? {} : { pool }),
    },
    rng,
  );
  const featureSpans: number[] = [];
  const decision: LinearDecision = {
    armId: c.armId,
    ranking: c.ranking,
    propensity: c.propensity,
    seed,
    features: c.features,
    featuresText: decisionFeaturesText(c.features, lin.featureTexts, featureSpans),
  };
  if (featureSpans.length > 0) {
    decision.featureSpans = featureSpans;
    decision.featureDigests = featureDigests.of(lin.featureTexts.actions, featureSpans);
  }
  if (c.explanation !== undefined) decision.explanation = c.explanation;
  return decision;
}

/** The posterior pool a decision ranks from: none under the exact policy or in logging-only mode (no model call). */
export function decisionPool(
  policy: LinearDecisionDeps["policy"],
  record: ExperimentRecord,
  learner: LinearLearner,
): PosteriorPool | undefined {
  return policy === "pool" && record.learningMode !== "loggingOnly" ? learner.pool() : undefined;
}

/**
 * A decision made elsewhere (PreparedLinearDecision) from this experiment's current settings;
 * StaleLinearState when they changed since, or when the unit falls in the control group
 * (prepared decisions are the bandit group's).
 */
async function preparedDecision(
  deps: LinearDecisionDeps,
  model: ExperimentModel,
  prepared: PreparedLinearDecision,
  group: Group,
): Promise<LinearDecision> {
  if (group !== "bandit" || linearRankSettings(model.record) !== prepared.state.settings) throw new StaleLinearState();
  if (prepared.decision.seed !== prepared.state.seed)
    throw new RangeError("a prepared decision carries its state's seed");
  await withActionArms(deps, model, prepared.ids);
  return prepared.decision;
}

/** The experiment's record with an arm for every offered id (Personalizer creates actions on first sight). */
async function withActionArms(
  deps: LinearDecisionDeps,
  model: ExperimentModel,
  ids: readonly string[],
): Promise<ExperimentRecord> {
  const record = model.record;
  const known = armStates(record);
  // ensureActionArms would find nothing to add too; checking here saves its await on every rank
  if (ids.every((id) => known.has(id))) return record;
  const latest = await ensureActionArms(record, ids, deps.experimentStore, deps.now());
  if (latest !== record && (latest.updatedAt >= model.record.updatedAt || ids.some((id) => !model.armIndex.has(id)))) {
    deps.saveRecord(model, latest);
  }
  return latest;
}

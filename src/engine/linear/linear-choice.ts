import type { DecisionFeatures, RankedArm } from "../../domain/decision.js";
import { BanditryError } from "../../domain/errors.js";
import type { ControlConfig, Group, LearningMode } from "../../domain/experiment.js";
import type { LinearThompson } from "../../stats/linear/linear-thompson.js";
import type { PosteriorPool } from "../../stats/linear/posterior-pool.js";
import type { Rng } from "../../stats/rng.js";
import type { ActionExplanation } from "../decision-service.js";
import type { LinearInput } from "./read-linear-input.js";

/** Features listed per action in an explanation (largest |contribution| first). */
const EXPLAIN_FEATURES = 20;

export interface LinearChoiceSettings {
  group: Group;
  control: ControlConfig | null;
  explorationShare: number;
  learningMode: LearningMode;
  /** Monte Carlo draws of the model's probabilities (without a pool). */
  draws: number;
  /** The model's posterior draw pool: the pool policy decides, with exact probabilities; absent: exact per-decision draws. */
  pool?: PosteriorPool;
  /** Offered ids whose arm is paused or retired: never chosen, like excluded ones. */
  inactive: ReadonlySet<string>;
}

export interface LinearChoiceResult {
  armId: string;
  /** Every offered action, in offered order, with its probability of being served. */
  ranking: RankedArm[];
  propensity: number;
  features: DecisionFeatures;
  explanation?: ActionExplanation[];
}

/**
 * One linear decision. Bandit group, online: the model's ranking (from its posterior draw pool
 * when given: exact probabilities of the pool policy; else a fresh draw and Monte Carlo), mixed with uniform
 * exploration: p = (1 − ε)·p_model + ε/m over the m eligible actions, served by drawing uniform
 * with probability ε, else the model's choice. Apprentice: the baseline is served (probability
 * 1) and the model's own choice is logged (features.modelArmId) to count agreement. Logging
 * only: the baseline, no model call. Control group: uniform over the eligible actions, or the
 * control arm when it is offered and eligible.
 */
export function linearChoice(
  model: LinearThompson,
  input: LinearInput,
  settings: LinearChoiceSettings,
  rng: Rng,
): LinearChoiceResult {
  const { actions, featureTexts } = input;
  const eligible: number[] = [];
  const excluded: string[] = [];
  for (let i = 0; i < actions.length; i++) {
    const id = actions[i]!.id;
    if (blocked(input, settings, id)) excluded.push(id);
    else eligible.push(i);
  }
  if (eligible.length === 0) {
    throw new BanditryError(
      "BANDITRY_NO_ACTIVE_ARMS",
      `every offered action is excluded (or its arm is paused or retired): there is nothing to choose`,
      { field: "excludedActions" },
    );
  }
  // a plain array: see PoolRanking.scores
  const probabilities = new Array<number>(actions.length).fill(0);
  let served: number;
  let modelArmId: string | undefined;

  if (settings.group === "control") {
    const fixed = settings.control?.arm;
    const at = fixed === undefined ? -1 : actions.findIndex((a) => a.id === fixed);
    if (at >= 0 && !blocked(input, settings, fixed!)) {
      served = at;
      probabilities[at] = 1;
    } else {
      served = eligible[rng.nextInt(eligible.length)]!;
      for (const i of eligible) probabilities[i] = 1 / eligible.length;
    }
  } else if (settings.learningMode === "online") {
    const ranking =
      settings.pool === undefined
        ? model.rank(input.contextFeatures, actions, rng, { excluded, draws: settings.draws, featureTexts })
        : model.rankFromPool(settings.pool, input.contextFeatures, actions, rng, { excluded, featureTexts });
    const eps = settings.explorationShare;
    const m = eligible.length;
    for (const i of eligible) probabilities[i] = (1 - eps) * ranking.probabilities[i]! + eps / m;
    served = eps > 0 && rng.next() < eps ? eligible[rng.nextInt(m)]! : ranking.chosen;
  } else {
    served = baseline(input, settings, eligible);
    probabilities[served] = 1;
    if (settings.learningMode === "apprentice") {
      const own =
        settings.pool === undefined
          ? model.choose(input.contextFeatures, actions, rng, { excluded, featureTexts }).chosen
          : model.chooseFromPool(settings.pool, input.contextFeatures, actions, rng, { excluded, featureTexts });
      modelArmId = actions[own]!.id;
    }
  }

  const features: DecisionFeatures = { context: input.contextFeatures, actions, excluded };
  if (modelArmId !== undefined) features.modelArmId = modelArmId;
  const result: LinearChoiceResult = {
    armId: actions[served]!.id,
    ranking: actions.map((a, i) => ({ armId: a.id, probability: probabilities[i]! })),
    propensity: probabilities[served]!,
    features,
  };
  if (input.explain) result.explanation = explainAll(model, input, served);
  return result;
}

function blocked(input: LinearInput, settings: LinearChoiceSettings, id: string): boolean {
  return input.excluded.has(id) || settings.inactive.has(id);
}

/** The baseline action's index (the first eligible one when none is named); throws when it is blocked. */
function baseline(input: LinearInput, settings: LinearChoiceSettings, eligible: readonly number[]): number {
  if (input.baselineAction === undefined) return eligible[0]!;
  const i = input.actions.findIndex((a) => a.id === input.baselineAction);
  if (blocked(input, settings, input.baselineAction)) {
    throw new BanditryError("BANDITRY_VALIDATION", "baselineAction is excluded (or its arm is not active)", {
      field: "baselineAction",
    });
  }
  return i;
}

/** Each offered action's feature contributions, the served action first, the rest in offered order. */
function explainAll(model: LinearThompson, input: LinearInput, served: number): ActionExplanation[] {
  const order = [served, ...input.actions.map((_, i) => i).filter((i) => i !== served)];
  return order.map((i) => {
    const action = input.actions[i]!;
    const e = model.explain(input.contextFeatures, action, { limit: EXPLAIN_FEATURES });
    return {
      armId: action.id,
      score: e.score,
      features: e.contributions.map((c) => ({ name: c.name, score: c.contribution })),
    };
  });
}

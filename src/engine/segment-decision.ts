import type { RankedArm } from "../domain/decision.js";
import { BanditryError } from "../domain/errors.js";
import type { Group } from "../domain/experiment.js";
import { invalid, readBoolean, readNumber } from "../domain/validate.js";
import { chooseArm } from "../stats/ranking/choose-arm.js";
import { rankTopK } from "../stats/ranking/rank-top-k.js";
import { selectionProbabilities } from "../stats/ranking/selection-probabilities.js";
import type { Rng } from "../stats/rng.js";
import type { Choice } from "./choice.js";
import { controlChoice } from "./control-choice.js";
import type { DecideInput } from "./decision-service.js";
import type { ExperimentModel } from "./experiment-model.js";
import { segmentKey } from "./segment-key.js";

/** What a segment decision needs from the engine. */
export interface SegmentDecisionDeps {
  now: () => number;
  /** Draws the decision's seed. */
  seeder: Rng;
  /** Re-seeded with the decision's seed (one generator reused: no allocation per decision). */
  decisionRng: Rng;
  /** Reused score buffer, grown when an experiment has more arms. */
  scratch: { scores: Float64Array };
  /** Monte Carlo draws for propensities. */
  propensityDraws: number;
}

/** Segment experiments: posterior sampling per segment (or the control policy). */
export function segmentDecision(
  deps: SegmentDecisionDeps,
  model: ExperimentModel,
  input: DecideInput,
  context: Record<string, unknown> | null,
  group: Group,
): Choice {
  const record = model.record;
  for (const key of ["actions", "contextFeatures", "excludedActions", "baselineAction", "explain"] as const) {
    if (input[key] !== undefined) invalid(key, 'is only for experiments with context "linear"');
  }
  const k = input.k === undefined ? 1 : readNumber(input.k, "k", { min: 1, integer: true });
  const wantProbabilities = input.propensities === undefined ? false : readBoolean(input.propensities, "propensities");
  const active = model.activeArms;
  if (active.length === 0) {
    throw new BanditryError("BANDITRY_NO_ACTIVE_ARMS", `experiment ${JSON.stringify(record.id)} has no active arms`, {
      field: "experimentId",
    });
  }
  if (k > active.length) {
    throw new BanditryError("BANDITRY_K_EXCEEDS_ARMS", `k must be <= the ${active.length} active arms, got ${k}`, {
      field: "k",
    });
  }
  const now = deps.now();
  const segment = segmentKey(context, record.segmentKeys);
  const control = record.control;
  const seed = deps.seeder.nextU32();
  const rng = deps.decisionRng;
  rng.reseed(seed);

  let order: number[]; // positions in `active`
  let probabilities: Float64Array | null = null;
  if (group === "control") {
    ({ order, probabilities } = controlChoice(
      active,
      control!.arm === undefined ? -1 : active.indexOf(model.armIndex.get(control!.arm)!),
      k,
      rng,
    ));
  } else {
    const posteriors = model.posteriorsFor(segment, now);
    if (deps.scratch.scores.length < posteriors.length) deps.scratch.scores = new Float64Array(posteriors.length * 2);
    order =
      k === 1
        ? [chooseArm(model.policy, posteriors, rng, deps.scratch.scores)]
        : rankTopK(model.policy, posteriors, k, rng, deps.scratch.scores);
    const exactKnown = model.policy.exactProbabilities !== undefined;
    if (k > 1 || wantProbabilities || exactKnown) {
      const p = selectionProbabilities(model.policy, posteriors, rng, { draws: deps.propensityDraws });
      probabilities = p.probabilities;
    }
  }
  const armId = model.armId(active[order[0]!]!);
  const ranking: RankedArm[] | null =
    k > 1 || (wantProbabilities && probabilities !== null)
      ? order.map((pos) => ({ armId: model.armId(active[pos]!), probability: probabilities?.[pos] ?? 0 }))
      : null;
  const propensity = probabilities === null ? null : probabilities[order[0]!]!;
  return { armId, segment, ranking, propensity, seed };
}

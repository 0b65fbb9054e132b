import { LinearThompson } from "../stats/linear/linear-thompson.js";
import type { Rng } from "../stats/rng.js";
import type { ActionDistribution, CandidateReplay } from "./candidate-replay.js";
import type { LoggedRecord } from "./logged-record.js";
import type { ResolvedCandidate } from "./resolved-candidate.js";

/**
 * A linear Thompson candidate replayed on the logged features: at each decision it ranks the
 * offered actions (excluded ones get 0) from what it has learned so far, mixed with
 * `explorationShare` uniform over the eligible actions; it learns each reward for the served
 * action in its decision's context. Decay is not replayed (the log has no model clock).
 */
export class LinearReplay implements CandidateReplay {
  readonly monteCarloDraws: number;
  private readonly model: LinearThompson;

  constructor(
    private readonly candidate: Extract<ResolvedCandidate, { kind: "linear" }>,
    private readonly actionIndex: ReadonlyMap<string, number>,
  ) {
    this.model = new LinearThompson(candidate.options);
    this.monteCarloDraws = this.model.options.draws;
  }

  distribution(record: LoggedRecord, rng: Rng): ActionDistribution {
    const f = record.features!;
    const ranking = this.model.rank(f.context, f.actions, rng, { excluded: f.excluded });
    const excluded = new Set(f.excluded ?? []);
    const eligible = f.actions.filter((a) => !excluded.has(a.id)).length;
    const share = this.candidate.explorationShare;
    return {
      actions: f.actions.map((a) => this.actionIndex.get(a.id)!),
      probabilities: f.actions.map((a, i) =>
        excluded.has(a.id) ? 0 : (1 - share) * ranking.probabilities[i]! + share / eligible,
      ),
    };
  }

  learn(record: LoggedRecord): void {
    const f = record.features;
    const action = f?.actions.find((a) => a.id === record.armId);
    if (f === null || action === undefined) return;
    this.model.update(f.context, action, record.reward);
  }

  featureImportance(limit: number): { name: string; weight: number }[] {
    return this.model.topFeatures(limit).map(({ name, weight }) => ({ name, weight }));
  }
}

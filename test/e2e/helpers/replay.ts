import { GLOBAL_SEGMENT } from "../../../src/domain/experiment.js";
import type { DecisionWithRewards, PosteriorRow } from "../../../src/stores/stores.js";

export interface Totals {
  pulls: number;
  rewards: number;
  rewardSum: number;
  n: number;
  s1: number;
  s2: number;
}

const zero = (): Totals => ({ pulls: 0, rewards: 0, rewardSum: 0, n: 0, s1: 0, s2: 0 });

/**
 * The posteriors a Bernoulli experiment without decay must have, recomputed from the logged
 * decisions and rewards: per "segment/arm" (and "*\/arm" experiment-wide) the pulls, the
 * rewards and their sum, and the evidence n = rewards, s1 = Σ r, s2 = Σ (1 − r).
 */
export function replayBernoulli(decisions: readonly DecisionWithRewards[]): Map<string, Totals> {
  const out = new Map<string, Totals>();
  const add = (segment: string, d: DecisionWithRewards) => {
    const key = `${segment}/${d.armId}`;
    let t = out.get(key);
    if (t === undefined) {
      t = zero();
      out.set(key, t);
    }
    t.pulls += 1;
    for (const r of d.rewards) {
      t.rewards += 1;
      t.rewardSum += r.value;
      t.n += 1;
      t.s1 += r.value;
      t.s2 += 1 - r.value;
    }
  };
  for (const d of decisions) {
    add(d.segment, d);
    if (d.segment !== GLOBAL_SEGMENT) add(GLOBAL_SEGMENT, d);
  }
  return out;
}

/** The posteriors table in the same shape. */
export function posteriorTotals(rows: readonly PosteriorRow[]): Map<string, Totals> {
  return new Map(
    rows.map((r) => [
      `${r.segment}/${r.armId}`,
      { pulls: r.pulls, rewards: r.rewards, rewardSum: r.rewardSum, n: r.n, s1: r.s1, s2: r.s2 },
    ]),
  );
}

/** Sorted entries, for deepEqual with a readable diff. */
export function entries<T>(map: Map<string, T>): [string, T][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

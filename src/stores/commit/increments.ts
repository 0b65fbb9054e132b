import { GLOBAL_SEGMENT, type Group } from "../../domain/experiment.js";
import type { Evidence, PosteriorRow } from "../stores.js";

/** A posterior row's additive part: what one batch adds to it. */
export type PosteriorIncrement = Omit<PosteriorRow, "updatedAt">;

export interface GroupIncrement {
  experimentId: string;
  group: string;
  decisions: number;
  rewards: number;
  rewardSum: number;
  rewardSumSq: number;
}

/**
 * The counter increments of one batch, summed per row: PostgreSQL refuses an upsert that touches
 * a row twice, and one row per key is also the fewest writes. Rows come out in sorted key order
 * so that two processes committing at once lock them in the same order and cannot deadlock.
 */
export class Increments {
  /** experiment → segment → arm: no key string to build and hash per reward. */
  readonly #posteriors = new Map<string, Map<string, Map<string, PosteriorIncrement>>>();
  readonly #groups = new Map<string, Map<string, GroupIncrement>>();

  /** A decision: one pull of its arm in its segment and experiment-wide. */
  pull(experimentId: string, segment: string, armId: string, group: string): void {
    this.#posterior(experimentId, segment, armId).pulls += 1;
    if (segment !== GLOBAL_SEGMENT) this.#posterior(experimentId, GLOBAL_SEGMENT, armId).pulls += 1;
    this.#group(experimentId, group).decisions += 1;
  }

  /** A reward that counts for learning now. */
  reward(experimentId: string, segment: string, armId: string, group: string, value: number, e: Evidence): void {
    this.#addReward(this.#posterior(experimentId, segment, armId), value, e);
    if (segment !== GLOBAL_SEGMENT) this.#addReward(this.#posterior(experimentId, GLOBAL_SEGMENT, armId), value, e);
    const g = this.#group(experimentId, group);
    g.rewards += 1;
    g.rewardSum += value;
    g.rewardSumSq += value * value;
  }

  sortedPosteriors(): PosteriorIncrement[] {
    const out: PosteriorIncrement[] = [];
    for (const segments of sortedValues(this.#posteriors)) {
      for (const arms of sortedValues(segments)) out.push(...sortedValues(arms));
    }
    return out;
  }

  sortedGroups(): GroupIncrement[] {
    const out: GroupIncrement[] = [];
    for (const groups of sortedValues(this.#groups)) out.push(...sortedValues(groups));
    return out;
  }

  #addReward(p: PosteriorIncrement, value: number, e: Evidence): void {
    p.rewards += 1;
    p.rewardSum += value;
    p.n += e.n;
    p.s1 += e.s1;
    p.s2 += e.s2;
  }

  #posterior(experimentId: string, segment: string, armId: string): PosteriorIncrement {
    const arms = child(child(this.#posteriors, experimentId), segment);
    let p = arms.get(armId);
    if (p === undefined) {
      p = { experimentId, segment, armId, pulls: 0, rewards: 0, rewardSum: 0, n: 0, s1: 0, s2: 0 };
      arms.set(armId, p);
    }
    return p;
  }

  #group(experimentId: string, group: Group | string): GroupIncrement {
    const groups = child(this.#groups, experimentId);
    let g = groups.get(group);
    if (g === undefined) {
      g = { experimentId, group, decisions: 0, rewards: 0, rewardSum: 0, rewardSumSq: 0 };
      groups.set(group, g);
    }
    return g;
  }
}

function child<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = map.get(key);
  if (m === undefined) {
    m = new Map();
    map.set(key, m);
  }
  return m;
}

/** Values in key order: nested keys sorted level by level give the order of the joined keys. */
function sortedValues<T>(map: Map<string, T>): T[] {
  return [...map.keys()].sort().map((k) => map.get(k)!);
}

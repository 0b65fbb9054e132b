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
  readonly #posteriors = new Map<string, PosteriorIncrement>();
  readonly #groups = new Map<string, GroupIncrement>();

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
    return sortedValues(this.#posteriors);
  }

  sortedGroups(): GroupIncrement[] {
    return sortedValues(this.#groups);
  }

  #addReward(p: PosteriorIncrement, value: number, e: Evidence): void {
    p.rewards += 1;
    p.rewardSum += value;
    p.n += e.n;
    p.s1 += e.s1;
    p.s2 += e.s2;
  }

  #posterior(experimentId: string, segment: string, armId: string): PosteriorIncrement {
    const key = `${experimentId}\u0000${segment}\u0000${armId}`;
    let p = this.#posteriors.get(key);
    if (p === undefined) {
      p = { experimentId, segment, armId, pulls: 0, rewards: 0, rewardSum: 0, n: 0, s1: 0, s2: 0 };
      this.#posteriors.set(key, p);
    }
    return p;
  }

  #group(experimentId: string, group: Group | string): GroupIncrement {
    const key = `${experimentId}\u0000${group}`;
    let g = this.#groups.get(key);
    if (g === undefined) {
      g = { experimentId, group, decisions: 0, rewards: 0, rewardSum: 0, rewardSumSq: 0 };
      this.#groups.set(key, g);
    }
    return g;
  }
}

function sortedValues<T>(map: Map<string, T>): T[] {
  return [...map.keys()].sort().map((k) => map.get(k)!);
}

import type { Rng } from "../rng.js";
import type { LinearAction } from "./linear-thompson.js";

export interface ContextualWorldSpec {
  /** User types (default 4). */
  types?: number;
  /** Actions (default 8, at least `types`: each type's best action is a different one). */
  actions?: number;
  /** Reward probability of each type's best action (default 0.5). */
  best?: number;
  /** Other (type, action) probabilities are uniform in [low, high] (default [0.05, 0.3]). */
  low?: number;
  high?: number;
}

export interface WorldContext {
  type: number;
  /** Personalizer-style context features: the user's type plus features that do not matter. */
  features: unknown;
}

const OS = ["ios", "android", "windows"];
const TIME = ["morning", "afternoon", "evening", "night"];
const CATEGORY = ["news", "sports", "music"];

/**
 * A synthetic contextual bandit for tests and benchmarks: Bernoulli rewards whose probability
 * depends on the user's type and the action, with a different best action per type, so a
 * context-free policy (one best action for everyone) cannot reach the optimum.
 * Contexts also carry a device, a time of day and an engagement score that do not affect the
 * reward (the model must learn to ignore them); actions carry a category and a price.
 */
export class ContextualWorld {
  readonly types: number;
  readonly actions: LinearAction[];
  /** p[type][action]: reward probability. */
  readonly p: Float64Array[];

  constructor(spec: ContextualWorldSpec, rng: Rng) {
    const types = spec.types ?? 4;
    const k = spec.actions ?? 8;
    const best = spec.best ?? 0.5;
    const low = spec.low ?? 0.05;
    const high = spec.high ?? 0.3;
    if (k < types) throw new RangeError(`actions (${k}) must be >= types (${types})`);
    this.types = types;
    this.actions = Array.from({ length: k }, (_, a) => ({
      id: `a${a}`,
      features: [{ item: { category: CATEGORY[a % CATEGORY.length], price: Math.round(100 * rng.next()) / 100 } }],
    }));
    this.p = Array.from({ length: types }, (_, t) => {
      const row = new Float64Array(k);
      for (let a = 0; a < k; a++) row[a] = low + (high - low) * rng.next();
      row[this.bestAction(t)] = best;
      return row;
    });
  }

  /** The best action of a type: spread over the actions so no two types share one. */
  bestAction(type: number): number {
    return Math.floor((type * this.actions.length) / this.types);
  }

  /** A random user (types equally likely) with its features. */
  context(rng: Rng): WorldContext {
    const type = rng.nextInt(this.types);
    return {
      type,
      features: [
        { user: { type: `t${type}`, engagement: Math.round(100 * rng.next()) / 100 } },
        { device: { os: OS[rng.nextInt(OS.length)] } },
        { time: { of: { day: TIME[rng.nextInt(TIME.length)] } } },
      ],
    };
  }

  /** Bernoulli reward of an action for a type. */
  reward(type: number, action: number, rng: Rng): number {
    return rng.next() < this.p[type]![action]! ? 1 : 0;
  }

  /** Expected reward of the best action for a type. */
  optimal(type: number): number {
    return this.p[type]![this.bestAction(type)]!;
  }

  /** Mean over types of the best expected reward: what a policy that knows everything earns. */
  optimalMean(): number {
    let s = 0;
    for (let t = 0; t < this.types; t++) s += this.optimal(t);
    return s / this.types;
  }

  /** Mean over types of the action best on average: the most a context-free policy earns. */
  contextFreeMean(): number {
    let best = 0;
    for (let a = 0; a < this.actions.length; a++) {
      let s = 0;
      for (let t = 0; t < this.types; t++) s += this.p[t]![a]!;
      best = Math.max(best, s / this.types);
    }
    return best;
  }
}

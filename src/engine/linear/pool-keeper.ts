import type { LinearThompson } from "../../stats/linear/linear-thompson.js";
import type { PosteriorPool } from "../../stats/linear/posterior-pool.js";
import type { Rng } from "../../stats/rng.js";

/** A count-triggered redraw waits until the pool is this many draw durations old (≤ 1/COST_FACTOR of a core). */
const COST_FACTOR = 10;

export interface PoolRefreshOptions {
  /** A pool whose model has learned since it was drawn is redrawn once it is this old (ms)… */
  poolRefreshMs: number;
  /** …or once the model has learned this many rewards since, whichever comes first. */
  poolRefreshRewards: number;
}

/** What the keeper keeps a pool of: the learner's current model and how many rewards it learned. */
export interface PoolSource {
  model(): LinearThompson;
  learned(): number;
}

/**
 * The posterior draw pool of one linear model (see PosteriorPool). Redrawing costs M back solves
 * (a few ms at d = 256), so it happens only when the posterior changed, and then at most once
 * per `poolRefreshMs` unless `poolRefreshRewards` rewards were learned first: decisions in
 * between use a slightly stale posterior (batched Thompson sampling). The reward-count trigger is
 * capped by cost: it fires only once the pool is at least COST_FACTOR times the last draw's
 * duration old, so at high reward rates count-triggered redraws take at most ~1/COST_FACTOR of a
 * core (at d = 256, ~8 ms draws: at most one per ~80 ms) instead of one per 100 rewards however
 * fast they come; the time limit is not capped. A replaced model (reset, options change, adopted
 * snapshot) is redrawn at once. The draw is paid after the learner
 * applies a batch from the log when a limit has passed, or by a timer when the limit passes
 * later, so a rank rarely pays it; a rank redraws itself only when the pool is missing or due.
 *
 * Each draw takes a fresh seed from `seeds` (seeded from the engine's seeder): the pool is
 * reproducible from that seed and the model state. `clock` times the draws (ms; default `now`).
 */
export class PoolKeeper {
  private pool: PosteriorPool | undefined;
  private drawnFrom: LinearThompson | undefined;
  private drawnAt = 0;
  private learnedAt = 0;
  /** How long the last draw took (ms, by `clock`). */
  private drawCost = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Draws made, for tests and stats. */
  draws = 0;

  constructor(
    private readonly source: PoolSource,
    private readonly options: PoolRefreshOptions,
    private readonly now: () => number,
    private readonly seeds: Rng,
    private readonly clock: () => number = now,
  ) {}

  /** The pool to rank with, redrawn first when missing or due. */
  current(): PosteriorPool {
    if (this.pool === undefined || this.due()) this.draw();
    return this.pool!;
  }

  /** The model learned: redraw now when due; else, once the time limit passes. Nothing before the first rank. */
  learned(): void {
    if (this.pool === undefined) return;
    if (this.due()) {
      this.draw();
      return;
    }
    if (this.timer !== undefined || !this.changed()) return;
    const wait = Math.max(0, this.options.poolRefreshMs - (this.now() - this.drawnAt));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.due()) this.draw();
    }, wait);
    this.timer.unref();
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Whether the posterior moved since the draw (or the model was replaced). */
  private changed(): boolean {
    const model = this.source.model();
    return model !== this.drawnFrom || model.version !== this.pool!.version;
  }

  private due(): boolean {
    const model = this.source.model();
    if (model !== this.drawnFrom) return true;
    if (model.version === this.pool!.version) return false;
    const age = this.now() - this.drawnAt;
    if (age >= this.options.poolRefreshMs) return true;
    return (
      this.source.learned() - this.learnedAt >= this.options.poolRefreshRewards && age >= COST_FACTOR * this.drawCost
    );
  }

  private draw(): void {
    const model = this.source.model();
    const started = this.clock();
    this.pool = model.drawPool(this.seeds.nextU32());
    this.drawCost = Math.max(0, this.clock() - started);
    this.drawnFrom = model;
    this.drawnAt = this.now();
    this.learnedAt = this.source.learned();
    this.draws++;
  }
}

import type { ExperimentRecord, LinearStore } from "../../stores/stores.js";
import { LinearLearner, type LinearLearnerOptions } from "./linear-learner.js";

export interface LinearLearningOptions extends LinearLearnerOptions {
  /** After a local commit applied rewards to a linear experiment, its log is read this soon (ms). */
  tailDelayMs: number;
  /**
   * How a rank decides and gets its probabilities: "pool" (default) from the model's posterior
   * draw pool, exact for the pool policy; "exact" one fresh posterior draw per decision and Monte
   * Carlo probabilities (kept for tests and comparison; ≈ 10× the CPU).
   */
  policy: "pool" | "exact";
}

export const DEFAULT_LINEAR_LEARNING_OPTIONS: LinearLearningOptions = {
  overlapMs: 5000,
  pageSize: 2000,
  snapshotEveryRewards: 1000,
  snapshotIntervalMs: 60_000,
  tailDelayMs: 5,
  poolRefreshMs: 100,
  poolRefreshRewards: 100,
  policy: "pool",
};

/**
 * The linear learners of an engine, one per linear experiment: created (snapshot + tail) on
 * first use, told to read the log soon after local commits that applied rewards (debounced), and
 * on every refresh (other instances' rewards, resets elsewhere).
 */
export class LinearLearning {
  private readonly learners = new Map<string, Promise<LinearLearner>>();
  private readonly scheduled = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: LinearStore,
    private readonly options: LinearLearningOptions,
    private readonly now: () => number,
    private readonly onError: (error: unknown) => void,
    /** A seed for each new learner's pool draws (the engine's seeder). */
    private readonly seed: () => number = () => 0,
  ) {}

  /** The experiment's learner, loaded (snapshot, then the log's tail) on first use. */
  learner(record: ExperimentRecord): Promise<LinearLearner> {
    let p = this.learners.get(record.id);
    if (p === undefined) {
      const learner = new LinearLearner(record, this.store, this.options, this.now, this.seed());
      p = learner.load().then(() => learner);
      this.learners.set(record.id, p);
      p.catch(() => this.learners.delete(record.id)); // a failed load is retried on next use
    }
    return p;
  }

  /** Applies a new version of the experiment's record to its learner (if loaded). */
  setRecord(record: ExperimentRecord): void {
    void this.learners
      .get(record.id)
      ?.then((l) => l.setRecord(record))
      .catch(() => {});
  }

  /** Reads the experiment's learning log soon (debounced): a local commit applied rewards to it. */
  schedule(experimentId: string): void {
    if (this.closed || !this.learners.has(experimentId)) return;
    this.scheduled.add(experimentId);
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const ids = [...this.scheduled];
      this.scheduled.clear();
      for (const id of ids) {
        this.learners
          .get(id)
          ?.then((l) => l.tail({ overlap: false }))
          .catch(this.onError);
      }
    }, this.options.tailDelayMs);
    this.timer.unref();
  }

  /** Every loaded learner: adopt a reset made elsewhere, then read the tail. */
  async refresh(): Promise<void> {
    await Promise.all([...this.learners.values()].map(async (p) => (await p).refresh()));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    // let reads in flight finish so the stores can close under them
    await Promise.allSettled(
      [...this.learners.values()].map(async (p) => {
        const learner = await p;
        learner.close();
        await learner.idle();
      }),
    );
  }
}

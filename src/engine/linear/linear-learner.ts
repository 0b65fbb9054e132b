import { isBanditryError } from "../../domain/errors.js";
import { LinearThompson } from "../../stats/linear/linear-thompson.js";
import {
  EVIDENCE_OPTIONS,
  type LinearThompsonOptions,
  resolveLinearThompsonOptions,
} from "../../stats/linear/linear-thompson-options.js";
import type { PosteriorPool } from "../../stats/linear/posterior-pool.js";
import { createRng } from "../../stats/rng.js";
import type {
  ExperimentRecord,
  LearnedReward,
  LearningLogKey,
  LinearSnapshot,
  LinearStore,
} from "../../stores/stores.js";
import { PoolKeeper, type PoolRefreshOptions } from "./pool-keeper.js";

export interface LinearLearnerOptions extends PoolRefreshOptions {
  /** Rows are re-read this far (ms) below the newest learned one: another instance may commit late. */
  overlapMs: number;
  /** Rows per learning-log read. */
  pageSize: number;
  /** Save a snapshot after this many learned rewards… */
  snapshotEveryRewards: number;
  /** …or this long (ms) after the last one when anything was learned since. */
  snapshotIntervalMs: number;
}

/** Where the model is in the learning log; saved with each snapshot. */
export interface LearnerPosition {
  /** When the model was created (0: with the experiment) or last reset (ms). */
  createdAt: number;
  /** When it last learned (ms, the reward's appliedAt). */
  updatedAt: number;
  /** Largest appliedAt learned (−1: none). */
  appliedAt: number;
  /** [eventId, seq, appliedAt] learned within the overlap window below appliedAt: never learned twice. */
  recent: [string, number, number][];
  /** Log time (ms) the model's decay is applied up to. */
  decayedTo: number;
  /** Rewards learned since createdAt (not weighted). */
  learned: number;
  /** Apprentice mode: learned rewards whose decision logged the model's own choice, and how many of those agreed. */
  apprentice: { decisions: number; agreed: number };
}

function emptyPosition(createdAt: number): LearnerPosition {
  return {
    createdAt,
    updatedAt: createdAt,
    appliedAt: -1,
    recent: [],
    decayedTo: -1,
    learned: 0,
    apprentice: { decisions: 0, agreed: 0 },
  };
}

/**
 * The linear model of one experiment. It learns ONLY by tailing the store's learning log
 * (rewards that count, in applied_at order, with their decision's features), never from the
 * local commit path: so every instance sharing the database learns the same rewards, once each,
 * whichever instance received them. Rows another instance commits late (its applied_at is older
 * than rows already read) are caught by re-reading an overlap window; the keys learned in that
 * window are kept so nothing is learned twice. Snapshots bound what a restart replays.
 */
export class LinearLearner {
  model: LinearThompson;
  private position: LearnerPosition;
  private recent = new Map<string, number>();
  private record: ExperimentRecord;
  private running: Promise<void> | undefined;
  private again = false;
  /** A caller of tail() wants the overlap window re-read (see tail). */
  private overlapWanted = false;
  private checkReset = false;
  private learnedAtSnapshot = 0;
  private snapshotAt: number;
  private readonly keeper: PoolKeeper;

  /** `poolSeed` seeds the seeds of the model's posterior draw pools. */
  constructor(
    record: ExperimentRecord,
    private readonly store: LinearStore,
    private readonly options: LinearLearnerOptions,
    private readonly now: () => number,
    poolSeed = 0,
  ) {
    this.record = record;
    this.model = new LinearThompson(modelOptions(record));
    this.position = emptyPosition(0);
    this.snapshotAt = now();
    const source = { model: () => this.model, learned: () => this.position.learned };
    this.keeper = new PoolKeeper(source, options, now, createRng(poolSeed));
  }

  /** The model's posterior draw pool, redrawn first when it is missing or due (see PoolKeeper). */
  pool(): PosteriorPool {
    return this.keeper.current();
  }

  /** Pools drawn so far. */
  get poolDraws(): number {
    return this.keeper.draws;
  }

  get experimentId(): string {
    return this.record.id;
  }

  get learned(): number {
    return this.position.learned;
  }

  get createdAt(): number {
    return this.position.createdAt;
  }

  get updatedAt(): number {
    return this.position.updatedAt;
  }

  get apprentice(): { decisions: number; agreed: number } {
    return { ...this.position.apprentice };
  }

  /** Starts from the saved snapshot (when there is one), then reads the log's tail. */
  async load(): Promise<void> {
    const snapshot = await this.store.loadSnapshot(this.record.id);
    if (snapshot !== undefined) this.adopt(snapshot);
    await this.tail();
  }

  /**
   * A new version of the experiment: options that do not change what the evidence means (draws,
   * exploration, limits) apply at once; a change of evidence options waits for the reset that
   * the updating instance writes (see reset), which refresh() picks up.
   */
  setRecord(record: ExperimentRecord): void {
    const before = this.model.options;
    this.record = record;
    const next = resolveLinearThompsonOptions(modelOptions(record));
    if (EVIDENCE_OPTIONS.some((k) => before[k] !== next[k])) return;
    if (JSON.stringify(before) === JSON.stringify(next)) return;
    this.model = LinearThompson.fromJSON({ ...this.model.toJSON(), options: next });
  }

  /** Multi-instance refresh: a reset elsewhere (a snapshot with a later createdAt) replaces the model, then the tail is read. */
  refresh(): Promise<void> {
    this.checkReset = true;
    return this.tail();
  }

  private async adoptNewerReset(): Promise<void> {
    const createdAt = await this.store.snapshotCreatedAt(this.record.id);
    if (createdAt === undefined || createdAt <= this.position.createdAt) return;
    const snapshot = await this.store.loadSnapshot(this.record.id);
    if (snapshot !== undefined && snapshot.position.createdAt > this.position.createdAt) this.adopt(snapshot);
  }

  /** Stops the pool's refresh timer. */
  close(): void {
    this.keeper.close();
  }

  /** Resolves when no log read is running. */
  async idle(): Promise<void> {
    await this.running?.catch(() => {});
  }

  /**
   * Reads the learning log from the current position on; concurrent calls share one run (and one
   * more after it). `overlap: false` (the tail after a local commit) reads only from the position
   * on, its own millisecond included: rows another instance committed late, below the position,
   * wait for the next full read (every refresh). Re-reading the overlap window's keys after every
   * local commit cost more than learning itself (5 s of rewards, 200 times a second).
   */
  tail(options: { overlap?: boolean } = {}): Promise<void> {
    if (options.overlap !== false) this.overlapWanted = true;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        if (this.checkReset) {
          this.checkReset = false;
          await this.adoptNewerReset();
        }
        const overlap = this.overlapWanted;
        this.overlapWanted = false;
        await this.readLog(overlap);
      } while (this.again || this.checkReset);
      this.keeper.learned(); // a redraw due now is paid here, not by the next rank
      await this.maybeSnapshot();
    };
    this.running = run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /**
   * Forgets what was learned: a fresh model at the current log position (so earlier rewards stay
   * forgotten), saved as a snapshot with createdAt = now; every instance adopts it on refresh.
   */
  async reset(): Promise<void> {
    await this.tail();
    const now = Math.max(this.now(), this.position.createdAt + 1);
    this.model = new LinearThompson(modelOptions(this.record));
    this.position = {
      ...emptyPosition(now),
      appliedAt: this.position.appliedAt,
      recent: [...this.recent].map(([k, t]) => [...splitKey(k), t]),
      decayedTo: this.position.appliedAt,
    };
    await this.saveSnapshot();
  }

  /** Reads the log's tail, then saves a snapshot at that position (before the logs are deleted). */
  async save(): Promise<void> {
    await this.tail();
    await this.saveSnapshot();
  }

  async saveSnapshot(): Promise<boolean> {
    this.position.recent = [...this.recent].map(([k, t]) => [...splitKey(k), t]);
    const snapshot: LinearSnapshot = {
      experimentId: this.record.id,
      model: JSON.stringify(this.model.toJSON()),
      position: { ...this.position } as unknown as LinearSnapshot["position"],
      updatedAt: this.now(),
    };
    this.learnedAtSnapshot = this.position.learned;
    this.snapshotAt = this.now();
    return this.store.saveSnapshot(snapshot);
  }

  private adopt(snapshot: LinearSnapshot): void {
    const position = snapshot.position as unknown as LearnerPosition;
    let model: LinearThompson;
    try {
      model = LinearThompson.fromJSON(JSON.parse(snapshot.model));
    } catch (e) {
      if (!isBanditryError(e)) throw e;
      return; // unreadable (e.g. a newer format): keep learning from the log
    }
    const wanted = resolveLinearThompsonOptions(modelOptions(this.record));
    if (EVIDENCE_OPTIONS.some((k) => model.options[k] !== wanted[k])) {
      // the snapshot predates an options change whose reset has not been written: start over from it
      model = new LinearThompson(modelOptions(this.record));
    } else if (JSON.stringify(model.options) !== JSON.stringify(wanted)) {
      model = LinearThompson.fromJSON({ ...model.toJSON(), options: wanted });
    }
    this.model = model;
    this.position = { ...emptyPosition(position.createdAt), ...position };
    this.recent = new Map(position.recent.map(([e, s, t]) => [joinKey(e, s), t]));
    this.learnedAtSnapshot = this.position.learned;
  }

  /**
   * Reads what is new in the log. The overlap window below the position (rows committed late by
   * another instance, or in the same ms as the last row read) is re-read as keys only, and only
   * keys not learned yet are fetched in full; rows above the position are read in full. So a
   * read costs its new rows plus one index range of keys, not a re-parse of the whole window.
   */
  private async readLog(overlap: boolean): Promise<void> {
    const top = this.position.appliedAt;
    if (overlap && top >= 0) await this.readOverlap(top);
    // applied_at is integral (bigint ms): (top + 1, "", −1) precedes every row above top; without
    // the overlap read, (top, "", −1) also takes rows committed since in top's own millisecond
    // (apply() skips the ones learned already)
    let after = { appliedAt: top < 0 ? -1 : overlap ? top + 1 : top, eventId: "", seq: -1 };
    for (;;) {
      const rows = await this.store.learningLog(this.record.id, after, this.options.pageSize);
      for (const row of rows) this.apply(row);
      if (rows.length < this.options.pageSize) break;
      const last = rows[rows.length - 1]!;
      after = { appliedAt: last.appliedAt, eventId: last.eventId, seq: last.seq };
    }
    const floor = this.position.appliedAt - this.options.overlapMs;
    for (const [key, t] of this.recent) if (t < floor) this.recent.delete(key);
  }

  /** Rows in [top − overlapMs, top] not learned yet: keys first, then those rows in full. */
  private async readOverlap(top: number): Promise<void> {
    const { pageSize, overlapMs } = this.options;
    const missing: LearningLogKey[] = [];
    let after: LearningLogKey = { appliedAt: top - overlapMs, eventId: "", seq: -1 };
    for (;;) {
      const keys = await this.store.learningLogKeys(this.record.id, after, top, pageSize);
      for (const k of keys) if (!this.recent.has(joinKey(k.eventId, k.seq))) missing.push(k);
      if (keys.length < pageSize) break;
      after = keys[keys.length - 1]!;
    }
    for (let i = 0; i < missing.length; i += pageSize) {
      for (const row of await this.store.learningLogRows(this.record.id, missing.slice(i, i + pageSize))) {
        this.apply(row);
      }
    }
  }

  private apply(row: LearnedReward): void {
    const key = joinKey(row.eventId, row.seq);
    if (this.recent.has(key)) return;
    if (row.appliedAt < this.position.appliedAt - this.options.overlapMs) return; // below the window: learned before
    this.recent.set(key, row.appliedAt);
    const p = this.position;
    if (row.appliedAt > p.appliedAt) p.appliedAt = row.appliedAt;
    // logging-only experiments never learn; the position still moves, so a switch to online starts from now
    if (this.record.learningMode === "loggingOnly" || row.features == null) return;
    const action = row.features.actions?.find((a) => a.id === row.armId) ?? { id: row.armId };
    const weight = this.decayTo(row.appliedAt);
    try {
      this.model.update(row.features.context, action, row.value, weight);
    } catch (e) {
      if (isBanditryError(e)) return; // features the current options refuse (e.g. lowered limits)
      throw e;
    }
    p.learned++;
    p.updatedAt = Math.max(p.updatedAt, row.appliedAt);
    if (row.features.modelArmId !== undefined) {
      p.apprentice.decisions++;
      if (row.features.modelArmId === row.armId) p.apprentice.agreed++;
    }
  }

  /** Decay in log time (deterministic across instances): returns the weight of a reward at t. */
  private decayTo(t: number): number {
    const h = this.record.decayHalfLife;
    const p = this.position;
    if (h === null) return 1;
    if (p.decayedTo < 0) {
      p.decayedTo = t;
      return 1;
    }
    if (t > p.decayedTo) {
      this.model.decay(2 ** (-(t - p.decayedTo) / (h * 1000)));
      p.decayedTo = t;
      return 1;
    }
    return 2 ** (-(p.decayedTo - t) / (h * 1000));
  }

  private async maybeSnapshot(): Promise<void> {
    const fresh = this.position.learned - this.learnedAtSnapshot;
    if (fresh <= 0) return;
    if (fresh >= this.options.snapshotEveryRewards || this.now() - this.snapshotAt >= this.options.snapshotIntervalMs) {
      await this.saveSnapshot();
    }
  }
}

function modelOptions(record: ExperimentRecord): LinearThompsonOptions {
  return (record.linear ?? {}) as LinearThompsonOptions;
}

function joinKey(eventId: string, seq: number): string {
  return `${seq}:${eventId}`;
}

function splitKey(key: string): [string, number] {
  const colon = key.indexOf(":");
  return [key.slice(colon + 1), Number(key.slice(0, colon))];
}

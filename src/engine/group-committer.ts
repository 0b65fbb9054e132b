import type { Decision } from "../domain/decision.js";
import { isBanditryError } from "../domain/errors.js";
import type {
  ActivationOutcome,
  CommitBatch,
  CommitResult,
  EventStore,
  RewardOp,
  RewardOutcome,
} from "../stores/stores.js";
import { batchSlots, type RewardFailure } from "./group-committer-batch.js";

export interface GroupCommitterOptions {
  /** How long the first queued item waits for company before the batch is written (ms); 0 = until the end of the event-loop turn. */
  flushIntervalMs: number;
  /** A batch this large is written at once. */
  maxBatch: number;
  rewardWaitMs: (experimentId: string) => number | undefined;
  /** Called after a commit with its size and write time (metrics). */
  onCommit?: (events: number, seconds: number) => void;
  /** Called with the result before any waiter is resolved, to update memory. */
  onCommitted: (batch: CommitBatch, result: CommitResult) => void;
  now: () => number;
}

export interface Waiter<T> {
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: decisions, rewards and activations queue here and are written together in
 * one store transaction every few milliseconds. Each caller's promise settles only after that
 * transaction committed, so an acknowledged answer is durable, while the cost of a commit
 * (and of an fsync) is shared by every event in the batch. Flushes and other exclusive work
 * (the multi-instance refresh) run one at a time on one chain, so memory is never updated
 * from two directions at once.
 */
export class GroupCommitter {
  private decisions: Decision[] = [];
  private decisionWaiters: Waiter<boolean>[] = [];
  private rewards: RewardOp[] = [];
  private rewardWaiters: Waiter<RewardOutcome>[] = [];
  private activations: string[] = [];
  private activationWaiters: Waiter<ActivationOutcome>[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private timerDelay = 0;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** Batches written and events per batch, for metrics. */
  readonly stats = { batches: 0, events: 0, lastBatchSize: 0 };

  constructor(
    private readonly store: Pick<EventStore, "commit">,
    private readonly options: GroupCommitterOptions,
  ) {}

  get pending(): number {
    return this.decisions.length + this.rewards.length + this.activations.length;
  }

  addDecision(d: Decision): Promise<boolean> {
    return this.enqueue(this.decisions, d, this.decisionWaiters);
  }

  addReward(r: RewardOp): Promise<RewardOutcome> {
    return this.enqueue(this.rewards, r, this.rewardWaiters);
  }

  /**
   * Many rewards with one promise (a batch endpoint): per op, its outcome, or a RewardFailure
   * when its commit failed (each op still fails alone, as with addReward). Rejects only when
   * the committer is closed.
   */
  addRewards(ops: readonly RewardOp[]): Promise<(RewardOutcome | RewardFailure)[]> {
    if (this.closed) return Promise.reject(new Error("group committer is closed"));
    if (ops.length === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const slots = batchSlots(ops.length, resolve);
      for (let i = 0; i < ops.length; i++) {
        this.rewards.push(ops[i]!);
        this.rewardWaiters.push(slots[i]!);
      }
      this.scheduleFlush();
    });
  }

  addActivation(eventId: string): Promise<ActivationOutcome> {
    return this.enqueue(this.activations, eventId, this.activationWaiters);
  }

  private enqueue<I, T>(items: I[], item: I, waiters: Waiter<T>[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error("group committer is closed"));
    return new Promise<T>((resolve, reject) => {
      items.push(item);
      waiters.push({ resolve, reject });
      this.scheduleFlush();
    });
  }

  /** A full batch is written at the end of this turn, a smaller one after the flush interval. */
  private scheduleFlush(): void {
    this.flushSoon(this.pending >= this.options.maxBatch ? 0 : this.options.flushIntervalMs);
  }

  private flushSoon(delay: number): void {
    if (this.timer !== undefined) {
      // a timer already due at once (a full batch) is kept: re-arming it per item costs more than the rest of enqueue
      if (delay > 0 || this.timerDelay === 0) return;
      this.cancelTimer();
    }
    this.timerDelay = delay;
    const fire = () => {
      this.timer = undefined;
      void this.flush();
    };
    // 0: at the end of this event-loop turn, with every request its poll phase parsed (a
    // timer of 0 would wait ≥ 1 ms)
    this.timer = delay === 0 ? setImmediate(fire) : setTimeout(fire, delay);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    if (this.timerDelay === 0) clearImmediate(this.timer as NodeJS.Immediate);
    else clearTimeout(this.timer as NodeJS.Timeout);
    this.timer = undefined;
  }

  /** Writes everything queued so far; resolves when it is durable. */
  flush(): Promise<void> {
    return this.exclusive(() => this.writeBatch());
  }

  /** Runs work between two flushes, never concurrently with one. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async writeBatch(): Promise<void> {
    if (this.pending === 0) return;
    const group: Group = {
      decisions: this.decisions,
      decisionWaiters: this.decisionWaiters,
      rewards: this.rewards,
      rewardWaiters: this.rewardWaiters,
      activations: this.activations,
      activationWaiters: this.activationWaiters,
    };
    this.decisions = [];
    this.decisionWaiters = [];
    this.rewards = [];
    this.rewardWaiters = [];
    this.activations = [];
    this.activationWaiters = [];
    await this.commitGroup(group);
  }

  private async commitGroup(group: Group): Promise<void> {
    const { decisions, rewards, activations } = group;
    const rewardWaitMs: Record<string, number | undefined> = {};
    for (const d of decisions) {
      if (!(d.experimentId in rewardWaitMs)) rewardWaitMs[d.experimentId] = this.options.rewardWaitMs(d.experimentId);
    }
    const batch: CommitBatch = { decisions, rewards, activations, now: this.options.now(), rewardWaitMs };
    const size = decisions.length + rewards.length + activations.length;
    let result: CommitResult;
    const started = performance.now();
    try {
      result = await this.store.commit(batch);
    } catch (e) {
      if (isBanditryError(e) && size > 1) {
        // The store refused something in the batch before writing anything: commit each
        // item alone, so one bad item fails only its own caller.
        for (const single of splitGroup(group)) await this.commitGroup(single);
        return;
      }
      // Nothing of the batch is acknowledged: every caller gets the error.
      for (const w of [...group.decisionWaiters, ...group.rewardWaiters, ...group.activationWaiters]) w.reject(e);
      return;
    }
    this.stats.batches++;
    this.stats.events += size;
    this.stats.lastBatchSize = size;
    try {
      this.options.onCommit?.(size, (performance.now() - started) / 1000);
      this.options.onCommitted(batch, result);
    } finally {
      resolveAll(group.decisionWaiters, result.decisionsInserted);
      resolveAll(group.rewardWaiters, result.rewardOutcomes);
      resolveAll(group.activationWaiters, result.activationOutcomes);
    }
  }

  /** Flushes what is queued and refuses new work. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelTimer();
    await this.flush();
  }
}

interface Group {
  decisions: Decision[];
  decisionWaiters: Waiter<boolean>[];
  rewards: RewardOp[];
  rewardWaiters: Waiter<RewardOutcome>[];
  activations: string[];
  activationWaiters: Waiter<ActivationOutcome>[];
}

function splitGroup(g: Group): Group[] {
  const empty = (): Group => ({
    decisions: [],
    decisionWaiters: [],
    rewards: [],
    rewardWaiters: [],
    activations: [],
    activationWaiters: [],
  });
  const out: Group[] = [];
  g.decisions.forEach((d, i) => {
    const s = empty();
    s.decisions.push(d);
    s.decisionWaiters.push(g.decisionWaiters[i]!);
    out.push(s);
  });
  g.activations.forEach((a, i) => {
    const s = empty();
    s.activations.push(a);
    s.activationWaiters.push(g.activationWaiters[i]!);
    out.push(s);
  });
  g.rewards.forEach((r, i) => {
    const s = empty();
    s.rewards.push(r);
    s.rewardWaiters.push(g.rewardWaiters[i]!);
    out.push(s);
  });
  return out;
}

function resolveAll<T>(waiters: Waiter<T>[], values: readonly T[]): void {
  for (let i = 0; i < waiters.length; i++) waiters[i]!.resolve(values[i]!);
}

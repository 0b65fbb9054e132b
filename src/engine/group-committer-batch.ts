import type { RewardOutcome } from "../stores/stores.js";
import type { Waiter } from "./group-committer.js";

/** The error that failed one op of GroupCommitter.addRewards. */
export class RewardFailure {
  constructor(readonly error: unknown) {}
}

/**
 * One waiter per op of an addRewards call, all settling one promise (resolve) once every op
 * has its outcome or its RewardFailure: a small object per op instead of a promise per op.
 */
export function batchSlots(
  size: number,
  resolve: (results: (RewardOutcome | RewardFailure)[]) => void,
): Waiter<RewardOutcome>[] {
  const batch = new BatchWaiters(size, resolve);
  const slots: Waiter<RewardOutcome>[] = new Array(size);
  for (let i = 0; i < size; i++) slots[i] = new BatchSlot(batch, i);
  return slots;
}

class BatchWaiters {
  readonly results: (RewardOutcome | RewardFailure)[];
  #left: number;
  readonly #resolve: (results: (RewardOutcome | RewardFailure)[]) => void;

  constructor(size: number, resolve: (results: (RewardOutcome | RewardFailure)[]) => void) {
    this.results = new Array(size);
    this.#left = size;
    this.#resolve = resolve;
  }

  settle(i: number, result: RewardOutcome | RewardFailure): void {
    this.results[i] = result;
    if (--this.#left === 0) this.#resolve(this.results);
  }
}

class BatchSlot implements Waiter<RewardOutcome> {
  constructor(
    private readonly batch: BatchWaiters,
    private readonly index: number,
  ) {}

  resolve(outcome: RewardOutcome): void {
    this.batch.settle(this.index, outcome);
  }

  reject(error: unknown): void {
    this.batch.settle(this.index, new RewardFailure(error));
  }
}

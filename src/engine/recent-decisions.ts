import type { Group } from "../domain/experiment.js";

export interface DecisionInfo {
  experimentId: string;
  segment: string;
  armId: string;
  group: Group;
  activated: boolean;
  /** A reward was counted (known locally; the store stays the authority). */
  rewarded: boolean;
}

/**
 * Recent decisions by event id, so that most rewards find their decision without a store
 * read. Bounded by two generations: new entries go to the current map; once it holds half the
 * capacity it becomes the previous one and the one before is dropped whole. Between half the
 * capacity and the capacity of the latest entries are kept. Dropping a generation at once costs
 * nothing per insert, where evicting the oldest key of one big Map on every insert cost a
 * delete (and the Map's periodic rehash over all its entries, a stall under load).
 */
export class RecentDecisions {
  private current = new Map<string, DecisionInfo>();
  private previous = new Map<string, DecisionInfo>();
  private readonly generation: number;

  constructor(capacity: number) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  get(eventId: string): DecisionInfo | undefined {
    return this.current.get(eventId) ?? this.previous.get(eventId);
  }

  has(eventId: string): boolean {
    return this.current.has(eventId) || this.previous.has(eventId);
  }

  set(eventId: string, info: DecisionInfo): void {
    this.previous.delete(eventId);
    this.current.set(eventId, info);
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Map();
    }
  }

  delete(eventId: string): void {
    this.current.delete(eventId);
    this.previous.delete(eventId);
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}

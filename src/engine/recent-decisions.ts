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
 * read. Bounded: the oldest entries go first (a Map iterates in insertion order).
 */
export class RecentDecisions {
  private readonly map = new Map<string, DecisionInfo>();

  constructor(private readonly capacity: number) {}

  get(eventId: string): DecisionInfo | undefined {
    return this.map.get(eventId);
  }

  has(eventId: string): boolean {
    return this.map.has(eventId);
  }

  set(eventId: string, info: DecisionInfo): void {
    this.map.set(eventId, info);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }

  delete(eventId: string): void {
    this.map.delete(eventId);
  }

  get size(): number {
    return this.map.size;
  }
}

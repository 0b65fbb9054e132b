/**
 * Calls in flight by numeric id, each taken once (a worker thread's answers). The table is a
 * null-prototype object, not a Map: on Node 20 a long-lived Map whose entries come and go kept
 * the values it had held alive through young-generation collections. Under rank load each rank's
 * request and answer (3.5 KB) were promoted to the old generation, the main thread's scavenges
 * took 13.7 instead of 5.3 µs per rank, and major collections followed
 * (bench/churned-map-promotion.ts shows it on its own).
 */
export class PendingCalls<T> {
  #calls: Record<number, T> = Object.create(null);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Registers the call `id` (ids are unique while in flight). */
  add(id: number, call: T): void {
    if (id in this.#calls) throw new RangeError(`call ${id} is already in flight`);
    this.#calls[id] = call;
    this.#size++;
  }

  /** The call `id`, no longer in flight; undefined when it is not. */
  take(id: number): T | undefined {
    if (!(id in this.#calls)) return undefined;
    const call = this.#calls[id];
    delete this.#calls[id];
    this.#size--;
    return call;
  }

  /** Every call in flight with its id (ascending), none left in flight. */
  takeAll(): [number, T][] {
    const calls = this.#calls;
    this.#calls = Object.create(null);
    this.#size = 0;
    return Object.keys(calls).map((id) => [Number(id), calls[Number(id)]!]);
  }
}

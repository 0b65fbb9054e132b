/**
 * Calls in flight by id, each taken once (a worker thread's answers; ids are given in increasing
 * order, and answered about in that order). The calls sit in a ring of slots indexed by id: a
 * taken call's slot is cleared, and a ring that must grow is cleared before it is dropped.
 *
 * Not a Map: on Node 20 a long-lived Map whose entries come and go kept the values it had held
 * alive through young-generation collections (likely the tables it outgrew, which still point at
 * them from the old generation until the next full collection). Under rank load each rank's request and answer
 * (3.5 KB) were promoted to the old generation, the main thread's scavenges took 13.7 instead of
 * 5.3 µs per rank, and major collections followed (bench/churned-map-promotion.ts shows it).
 */
export class PendingCalls<T> {
  #ids: number[] = new Array<number>(64).fill(-1);
  #calls: (T | undefined)[] = new Array<T | undefined>(64).fill(undefined);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Registers the call `id` (a non-negative integer, unique while in flight). */
  add(id: number, call: T): void {
    if (!Number.isSafeInteger(id) || id < 0)
      throw new RangeError(`a call id must be a non-negative integer, got ${id}`);
    let slot = id % this.#ids.length;
    if (this.#ids[slot] === id) throw new RangeError(`call ${id} is already in flight`);
    while (this.#ids[slot] !== -1) {
      this.#grow();
      slot = id % this.#ids.length;
    }
    this.#ids[slot] = id;
    this.#calls[slot] = call;
    this.#size++;
  }

  /** The call `id`, no longer in flight; undefined when it is not. */
  take(id: number): T | undefined {
    const slot = id % this.#ids.length;
    if (this.#ids[slot] !== id) return undefined;
    const call = this.#calls[slot];
    this.#ids[slot] = -1;
    this.#calls[slot] = undefined;
    this.#size--;
    return call;
  }

  /** Every call in flight with its id (ascending), none left in flight. */
  takeAll(): [number, T][] {
    const out: [number, T][] = [];
    for (let slot = 0; slot < this.#ids.length; slot++) {
      if (this.#ids[slot] === -1) continue;
      out.push([this.#ids[slot]!, this.#calls[slot] as T]);
      this.#ids[slot] = -1;
      this.#calls[slot] = undefined;
    }
    this.#size = 0;
    return out.sort((a, b) => a[0] - b[0]);
  }

  /**
   * About twice the slots, until every call in flight has its own; the old ring is cleared. The
   * new lengths are odd: ids that a power of two apart would collide at every power-of-two length.
   */
  #grow(): void {
    const ids = this.#ids;
    const calls = this.#calls;
    let length = ids.length * 2 + 1;
    for (;;) {
      const taken = new Set<number>();
      let fits = true;
      for (const id of ids) {
        if (id === -1) continue;
        const slot = id % length;
        if (taken.has(slot)) {
          fits = false;
          break;
        }
        taken.add(slot);
      }
      if (fits) break;
      length = length * 2 + 1;
    }
    this.#ids = new Array<number>(length).fill(-1);
    this.#calls = new Array<T | undefined>(length).fill(undefined);
    for (let slot = 0; slot < ids.length; slot++) {
      const id = ids[slot]!;
      if (id === -1) continue;
      this.#ids[id % length] = id;
      this.#calls[id % length] = calls[slot];
    }
    ids.fill(-1);
    calls.fill(undefined);
  }
}

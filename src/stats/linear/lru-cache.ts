/**
 * A string-keyed cache holding at most `capacity` entries, the least recently used dropped
 * first. A Map keeps insertion order, so a used entry is moved to the end and the first key is
 * the oldest. Moving is a delete and an insert in the Map (a rank hits ten entries of a cache):
 * a hit moves its entry only once it has aged past half the capacity (counted in insertions), so
 * an entry in use is never the first to go, and hot entries are not reinserted on every hit.
 */
export class LruCache<V> {
  private readonly map = new Map<string, { value: V; stamp: number }>();
  /** Insertions so far (sets and moves). */
  private clock = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    if (this.clock - entry.stamp > this.capacity / 2) {
      this.map.delete(key);
      entry.stamp = ++this.clock;
      this.map.set(key, entry);
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, { value, stamp: ++this.clock });
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }
}

/**
 * Readable names for hashed features, so explanations and feature importances show
 * `ctx.user.type=new*act.id=a3` rather than slot 117. Keyed by the feature's full 32-bit hash
 * (its slot follows from it); the first name met for a hash wins. Bounded: once `capacity`
 * names are held, new ones are not recorded (and recording costs one Map lookup).
 */
export class NameTable {
  readonly capacity: number;
  private readonly byHash = new Map<number, string>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.byHash.size;
  }

  get full(): boolean {
    return this.byHash.size >= this.capacity;
  }

  /** Records the name of a hash not seen yet, if there is room; `name` is called only then. */
  record(hash: number, name: () => string): void {
    if (this.byHash.size >= this.capacity || this.byHash.has(hash)) return;
    this.byHash.set(hash, name());
  }

  get(hash: number): string | undefined {
    return this.byHash.get(hash);
  }

  entries(): IterableIterator<[number, string]> {
    return this.byHash.entries();
  }

  /** A table with this one's names, then the other's, up to this one's capacity. */
  merge(other: NameTable): NameTable {
    const t = new NameTable(this.capacity);
    for (const [h, n] of this.byHash) t.record(h, () => n);
    for (const [h, n] of other.byHash) t.record(h, () => n);
    return t;
  }

  clone(): NameTable {
    return this.merge(new NameTable(0));
  }

  toJSON(): [hash: number, name: string][] {
    return [...this.byHash];
  }
}

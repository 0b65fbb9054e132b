/**
 * Numbers 32-bit feature hashes 0, 1, 2, … in order of first sight: an open-addressing table in
 * typed arrays, emptied in O(1) by a generation stamp. A Map would box hashes above 2³⁰ and
 * hash the boxes, several times slower on a rank's hundred lookups.
 */
export class HashNumbers {
  private keys = new Int32Array(64);
  private numbers = new Int32Array(64);
  private stamps = new Uint32Array(64);
  private stamp = 1;
  private hashes: number[] = [];

  /** How many distinct hashes were numbered since clear(). */
  get size(): number {
    return this.hashes.length;
  }

  clear(): void {
    this.hashes.length = 0;
    if (++this.stamp === 0xffffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** The hash's number, a new one when it is first seen. */
  number(hash: number): number {
    if (2 * (this.hashes.length + 1) > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    const key = hash | 0;
    for (let i = key & mask; ; i = (i + 1) & mask) {
      if (this.stamps[i] !== this.stamp) {
        this.stamps[i] = this.stamp;
        this.keys[i] = key;
        this.numbers[i] = this.hashes.length;
        this.hashes.push(hash >>> 0);
        return this.numbers[i]!;
      }
      if (this.keys[i] === key) return this.numbers[i]!;
    }
  }

  /** The hash numbered j (unsigned). */
  hashOf(j: number): number {
    return this.hashes[j]!;
  }

  private grow(): void {
    const hashes = this.hashes;
    const size = this.keys.length * 2;
    this.keys = new Int32Array(size);
    this.numbers = new Int32Array(size);
    this.stamps = new Uint32Array(size);
    this.stamp = 1;
    this.hashes = [];
    for (const h of hashes) this.number(h);
  }
}

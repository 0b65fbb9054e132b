/**
 * Seedable pseudo-random generator: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32. 32-bit integer arithmetic only, so V8 keeps everything in registers.
 * Every sampler takes an Rng argument; nothing in src/ calls Math.random.
 */
export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform double in (0, 1) with 32 random bits; cheaper, for rejection loops. */
  nextOpen32(): number;
  /** Uniform unsigned 32-bit integer. */
  nextU32(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Re-seed in place (replaying a recorded decision seed without allocating). */
  reseed(seed: number): void;
  /** The seed this generator was last (re)seeded with. */
  readonly seed: number;
}

const TWO_POW_M32 = 2 ** -32;
const TWO_POW_M53 = 2 ** -53;

export class Xoshiro128 implements Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  seed = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
    this.seed = seed >>> 0;
    // splitmix32 expands one word into four well-mixed, not-all-zero state words
    let x = this.seed;
    const mix = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextU32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    const t = Math.imul(s1, 5);
    const r = Math.imul((t << 7) | (t >>> 25), 9);
    const sh = s1 << 9;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ sh;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return r >>> 0;
  }

  next(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * TWO_POW_M53;
  }

  nextOpen32(): number {
    return (this.nextU32() + 0.5) * TWO_POW_M32;
  }

  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** A new generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  return new Xoshiro128(seed);
}

/** Derive a child seed (e.g. one per decision) from a parent generator. */
export function nextSeed(rng: Rng): number {
  return rng.nextU32();
}

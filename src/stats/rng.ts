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

/** splitmix32 output for counter value x (used to expand a seed into the state words). */
function splitmix32(x: number): number {
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

export class Xoshiro128 implements Rng {
  // State in an Int32Array rather than four number fields: V8 keeps typed-array elements
  // as raw int32, whereas fields holding values beyond the small-integer range get boxed,
  // which made each draw about twice as slow.
  private readonly s = new Int32Array(4);
  seed = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
    this.seed = seed >>> 0;
    // splitmix32 expands one word into four well-mixed, not-all-zero state words
    const s = this.s;
    let x = this.seed;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      s[i] = splitmix32(x);
    }
    if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  }

  nextU32(): number {
    // xoshiro128**: r = rotl(s1·5, 7)·9, with the products as shift-adds (they are short in
    // bytecode, which leaves V8 more inlining budget for the samplers that call this)
    const s = this.s;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const s2 = s[2]! ^ s0;
    const s3 = s[3]! ^ s1;
    const t = ((s1 << 2) + s1) | 0;
    const r = (t << 7) | (t >>> 25);
    s[1] = s1 ^ s2;
    s[0] = s0 ^ s3;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return ((r << 3) + r) >>> 0;
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

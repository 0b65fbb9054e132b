import { KERNEL_MEMBERS, type KernelMemory, newPoolKernel, type PoolKernel, type WinsKernel } from "./pool-kernel.js";
import type { SparseVector } from "./sparse-vector.js";

const PAGE = 65_536;
/** Score space made with the pool (a typical rank needs no more; more grows the memory once). */
const INITIAL_ACTIONS = 16;
const INITIAL_ENTRIES = 1024;

/**
 * A posterior pool's draws, stored slot-major (row i holds θ̃_m[i] of every member m, padded to
 * `stride` members), and the scoring of sparse vectors against all members at once: row i is
 * contiguous, so x·θ̃_m for every m walks x's rows once. With WebAssembly SIMD the draws live in
 * the kernel's memory (pool-kernel.ts); without it, in a Float32Array scored by the same loop
 * in JavaScript. Both give the same bits: single precision, every operation rounded to f32.
 */
export class PoolWeights {
  /** Members per row: the pool's size padded to a multiple of KERNEL_MEMBERS (padding members stay 0). */
  readonly stride: number;
  /** weights[i·stride + m] = θ̃_m[i] (a view: re-read it after score space is reserved). */
  weights: Float32Array;
  /** scores[a·stride + m] after score(x, from, a) (a view: re-read it after reserve). */
  scores: Float32Array;
  /** Whether the WebAssembly kernel scores (else the JavaScript loop). */
  readonly wasm: boolean;
  private readonly kernel: PoolKernel | undefined;
  private readonly winsKernel: WinsKernel | undefined;
  private readonly memory: KernelMemory | undefined;
  /**
   * Byte sizes and offsets in the kernel's memory: draws at 0, then x's indices (or wins()' row
   * addresses), its values, the scores, and wins()' best, count and winner rows.
   */
  private readonly weightBytes: number;
  private entries = 0;
  private actions = 0;
  private idxAt = 0;
  private valAt = 0;
  private outAt = 0;
  private winsAt = 0;
  private idx = new Int32Array(0);
  private val = new Float32Array(0);
  /** After wins(): per member m, at m, the best score, how many rows reach it, the last of them. */
  best = new Float32Array(0);
  count = new Int32Array(0);
  winner = new Int32Array(0);

  /** `wasm: false` scores in JavaScript (tests compare the two). */
  constructor(size: number, dimension: number, options: { wasm?: boolean } = {}) {
    this.stride = Math.ceil(size / KERNEL_MEMBERS) * KERNEL_MEMBERS;
    this.weightBytes = dimension * this.stride * 4;
    const initialEnd = this.weightBytes + INITIAL_ENTRIES * 8 + (INITIAL_ACTIONS + 3) * this.stride * 4;
    const kernel = options.wasm === false ? null : newPoolKernel(Math.ceil(initialEnd / PAGE));
    this.scores = new Float32Array(0);
    this.wasm = kernel !== null;
    if (kernel === null) {
      this.weights = new Float32Array(dimension * this.stride);
      return;
    }
    this.memory = kernel.memory;
    this.kernel = kernel.score;
    this.winsKernel = kernel.wins;
    this.weights = new Float32Array(this.memory.buffer, 0, dimension * this.stride);
    this.reserve(INITIAL_ACTIONS, INITIAL_ENTRIES);
  }

  /** Room for `actions` rows of scores and for vectors of up to `entries` entries. */
  reserve(actions: number, entries: number): void {
    if (actions <= this.actions && entries <= this.entries) return;
    this.actions = Math.max(actions, this.actions);
    // a multiple of 4 keeps every region 16-byte aligned; room for wins()' row list too
    this.entries = Math.max(Math.ceil(Math.max(entries, actions) / 4) * 4, this.entries);
    if (this.memory === undefined) {
      this.scores = new Float32Array(this.actions * this.stride);
      return;
    }
    const rowBytes = this.stride * 4;
    this.idxAt = this.weightBytes;
    this.valAt = this.idxAt + this.entries * 4;
    this.outAt = this.valAt + this.entries * 4;
    this.winsAt = this.outAt + this.actions * rowBytes;
    const end = this.winsAt + 3 * rowBytes;
    if (end > this.memory.buffer.byteLength) this.memory.grow(Math.ceil((end - this.memory.buffer.byteLength) / PAGE));
    // growing detaches the old views
    const buffer = this.memory.buffer;
    this.weights = new Float32Array(buffer, 0, this.weights.length);
    this.idx = new Int32Array(buffer, this.idxAt, this.entries);
    this.val = new Float32Array(buffer, this.valAt, this.entries);
    this.scores = new Float32Array(buffer, this.outAt, this.actions * this.stride);
    this.best = new Float32Array(buffer, this.winsAt, this.stride);
    this.count = new Int32Array(buffer, this.winsAt + rowBytes, this.stride);
    this.winner = new Int32Array(buffer, this.winsAt + 2 * rowBytes, this.stride);
  }

  /**
   * With the kernel: for every member m, over score rows `first + a` of the eligible actions a,
   * best[m] = the largest score (NaN left out), count[m] = how many reach it, winner[m] = the
   * position in `eligible` of the last that does; false without the kernel (nothing done).
   */
  wins(first: number, eligible: readonly number[]): boolean {
    if (this.winsKernel === undefined) return false;
    const rowBytes = this.stride * 4;
    const idx = this.idx;
    for (let j = 0; j < eligible.length; j++) idx[j] = this.outAt + (first + eligible[j]!) * rowBytes;
    this.winsKernel(
      this.idxAt,
      eligible.length,
      rowBytes,
      this.winsAt,
      this.winsAt + rowBytes,
      this.winsAt + 2 * rowBytes,
    );
    return true;
  }

  /**
   * scores[row·stride + m] = Σ_{from ≤ e < x.length} x_e·θ̃_m[i_e] for every member m (summed in
   * entry order from 0, in single precision). Needs reserve(row + 1, x.length - from) first.
   */
  score(x: SparseVector, from: number, row: number): void {
    if (this.kernel === undefined) this.scoreInJs(x, from, row * this.stride, this.weights);
    else this.kernelScore(x, from, row, 0);
  }

  /**
   * scores[row·stride + m] = Σ_e x_e·scores[i_e·stride + m]: a weighted sum of score rows made
   * before (row must not be one of them). Needs reserve(row + 1, x.length) first.
   */
  combine(x: SparseVector, row: number): void {
    if (this.kernel === undefined) this.scoreInJs(x, 0, row * this.stride, this.scores);
    else this.kernelScore(x, 0, row, this.outAt);
  }

  private kernelScore(x: SparseVector, from: number, row: number, w: number): void {
    const n = x.length - from;
    const idx = this.idx;
    const val = this.val;
    const xi = x.indices;
    const xv = x.values;
    for (let e = 0; e < n; e++) {
      idx[e] = xi[from + e]!;
      val[e] = xv[from + e]!;
    }
    const rowBytes = this.stride * 4;
    this.kernel!(this.idxAt, n, this.valAt, rowBytes, this.outAt + row * rowBytes, w);
  }

  /** Σ_{from ≤ e < to} x_e·θ̃_m[i_e]: one member's score, in the same order and precision. */
  scoreMember(x: SparseVector, from: number, to: number, m: number): number {
    const w = this.weights;
    const S = this.stride;
    const f = Math.fround;
    let t = 0;
    for (let e = from; e < to; e++) t = f(t + f(f(x.values[e]!) * w[x.indices[e]! * S + m]!));
    return t;
  }

  /** The kernel's loop in JavaScript: eight members in registers, one pass over x per block. */
  private scoreInJs(x: SparseVector, from: number, offset: number, w: Float32Array): void {
    const S = this.stride;
    const out = this.scores;
    const idx = x.indices;
    const val = x.values;
    const n = x.length;
    const f = Math.fround;
    for (let m = 0; m < S; m += 8) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let e = from; e < n; e++) {
        const v = f(val[e]!);
        const b = idx[e]! * S + m;
        s0 = f(s0 + f(v * w[b]!));
        s1 = f(s1 + f(v * w[b + 1]!));
        s2 = f(s2 + f(v * w[b + 2]!));
        s3 = f(s3 + f(v * w[b + 3]!));
        s4 = f(s4 + f(v * w[b + 4]!));
        s5 = f(s5 + f(v * w[b + 5]!));
        s6 = f(s6 + f(v * w[b + 6]!));
        s7 = f(s7 + f(v * w[b + 7]!));
      }
      const o = offset + m;
      out[o] = s0;
      out[o + 1] = s1;
      out[o + 2] = s2;
      out[o + 3] = s3;
      out[o + 4] = s4;
      out[o + 5] = s5;
      out[o + 6] = s6;
      out[o + 7] = s7;
    }
  }
}

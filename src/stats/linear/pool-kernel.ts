/**
 * The posterior pool's scoring loop as a WebAssembly SIMD function, assembled here from its
 * instructions (no toolchain, no binary blob to trust):
 *
 *   score(idx, n, val, rowBytes, out, w): for every block of 16 members (byte offset mb),
 *     out[mb .. mb+64) = Σ_{e<n} val[e] · W[idx[e]·rowBytes + mb .. +64)
 *
 * over f32x4 lanes, with W at address w: the pool's draws (slot-major, at 0), or rows of scores
 * made by an earlier call (a factored rank, see PosteriorPool.rankFactored); and
 *
 *   wins(rows, e, rowBytes, best, count, winner): for every member m, over the e score rows whose
 *     addresses are listed at `rows`: best[m] = the largest score (NaN left out), count[m] = how
 *     many rows reach it and winner[m] = the last of them (as i32 lanes)
 *
 * Single precision: a rank reads each of its ≈ 600 (column, context) rows of all 128 members,
 * and f32 halves both the bytes read and the instructions (four members per instruction instead
 * of two), about halving the kernel's time; a draw's 7 significant digits are far finer than
 * its posterior noise. Each member's sum is the same IEEE single-precision operations in the
 * same order as the scalar loop (0 + v₀w₀ + v₁w₁ + …, each product and sum rounded to f32, no
 * fused multiply-add), so the scores are bit for bit those of the JavaScript fallback
 * (Math.fround after every operation).
 */

/** Members scored per block: the pool's rows are padded to a multiple of it. */
export const KERNEL_MEMBERS = 16;

export type PoolKernel = (idx: number, n: number, val: number, rowBytes: number, out: number, w: number) => void;
export type WinsKernel = (
  rows: number,
  e: number,
  rowBytes: number,
  best: number,
  count: number,
  winner: number,
) => void;

/** The kernel's memory (growable; growing detaches the views on its old buffer). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** One kernel over its own memory: the pool's draws live in it. */
export interface PoolKernelInstance {
  memory: KernelMemory;
  score: PoolKernel;
  wins: WinsKernel;
}

/** The slice of the WebAssembly API used here (the project's ES lib declares none). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => KernelMemory;
}

const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;

/**
 * A kernel over a fresh memory of `pages` 64 KiB pages; null when this runtime has no
 * WebAssembly SIMD or the memory cannot be had (the pool then scores in JavaScript).
 */
export function newPoolKernel(pages: number): PoolKernelInstance | null {
  if (wasm === undefined) return null;
  if (compiled === undefined) {
    const bytes = poolKernelBytes();
    compiled = wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  if (compiled === null) return null;
  try {
    const memory = new wasm.Memory({ initial: pages });
    const instance = new wasm.Instance(compiled, { env: { memory } });
    return { memory, score: instance.exports.score as PoolKernel, wins: instance.exports.wins as WinsKernel };
  } catch {
    return null; // no memory for one more (its address space is reserved per memory): score in JavaScript
  }
}

const uleb = (n: number): number[] => {
  const out: number[] = [];
  let x = n >>> 0;
  do {
    const b = x & 0x7f;
    x >>>= 7;
    out.push(x === 0 ? b : b | 0x80);
  } while (x !== 0);
  return out;
};
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const times = (n: number, f: (k: number) => number[]) => Array.from({ length: n }, (_, k) => f(k)).flat();

const I32 = 0x7f;
const V128 = 0x7b;
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const tee = (i: number) => [0x22, i];
const i32 = (n: number) => [0x41, n]; // small non-negative constants only (< 64)
/** i32.const 64 (signed LEB128: one byte would read as −64). */
const I32_64 = [0x41, 0xc0, 0x00];
const i32Add = 0x6a;
const i32Mul = 0x6c;
const i32Shl = 0x74;
const i32Eq = 0x46;
const i32Ne = 0x47;
const i32Load = [0x28, 2, 0];
const f32Load = [0x2a, 2, 0];
const simd = (op: number) => [0xfd, ...uleb(op)];
const v128Load = (offset: number) => [...simd(0x00), 4, ...uleb(offset)];
const v128Store = (offset: number) => [...simd(0x0b), 4, ...uleb(offset)];
const v128Zero = [...simd(0x0c), ...new Array<number>(16).fill(0)];
const f32x4Splat = simd(0x13);
const f32x4Add = simd(0xe4);
const f32x4Mul = simd(0xe6);
const f32x4Eq = simd(0x41);
const f32x4Pmax = simd(0xeb);
const i32x4Splat = simd(0x11);
const i32x4Sub = simd(0xb1);
const v128Bitselect = simd(0x52);
/** f32.const −∞ (little-endian IEEE bits). */
const F32_MINUS_INFINITY = [0x43, 0, 0, 0x80, 0xff];
const LOOP = [0x03, 0x40];
const BLOCK = [0x02, 0x40];
const END = 0x0b;
const brIf = (depth: number) => [0x0d, depth];

/** Accumulators of four members each. */
const LANES = KERNEL_MEMBERS / 4;
// params idx, n, val, rowBytes, out, w; locals mb (member block's byte offset), ip, vp, end, p (row address), v, acc…
const [IDX, N, VAL, ROW, OUT, W, MB, IP, VP, END_IP, P, V] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const ACC = (k: number) => 12 + k;

export function poolKernelBytes(): Uint8Array {
  // biome-ignore format: one instruction group a line reads as the function's text
  const body = [
    ...get(IDX), ...get(N), ...i32(2), i32Shl, i32Add, ...set(END_IP),
    ...LOOP, // members, 16 at a time
    ...times(LANES, (k) => [...v128Zero, ...set(ACC(k))]),
    ...get(IDX), ...set(IP), ...get(VAL), ...set(VP),
    ...BLOCK,
    ...get(IP), ...get(END_IP), i32Eq, ...brIf(0), // n = 0: zeros
    ...LOOP, // entries
    ...get(VP), ...f32Load, ...f32x4Splat, ...set(V),
    ...get(IP), ...i32Load, ...get(ROW), i32Mul, ...get(MB), i32Add, ...get(W), i32Add, ...set(P),
    ...times(LANES, (k) => [...get(ACC(k)), ...get(V), ...get(P), ...v128Load(16 * k), ...f32x4Mul, ...f32x4Add, ...set(ACC(k))]),
    ...get(VP), ...i32(4), i32Add, ...set(VP),
    ...get(IP), ...i32(4), i32Add, ...tee(IP), ...get(END_IP), i32Ne, ...brIf(0),
    END,
    END,
    ...times(LANES, (k) => [...get(OUT), ...get(MB), i32Add, ...get(ACC(k)), ...v128Store(16 * k)]),
    ...get(MB), ...I32_64, i32Add, ...tee(MB), ...get(ROW), i32Ne, ...brIf(0), // mb += 16 members · 4 bytes
    END,
    END,
  ];
  const code = [
    ...vec([
      [5, I32],
      [1 + LANES, V128],
    ]),
    ...body,
  ];
  const wins = winsCode();
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0x00]])),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0x00], [0x00]])),
    ...section(
      7,
      vec([
        [...name("score"), 0x00, 0x00],
        [...name("wins"), 0x00, 0x01],
      ]),
    ),
    ...section(
      10,
      vec([
        [...uleb(code.length), ...code],
        [...uleb(wins.length), ...wins],
      ]),
    ),
  ]);
}

// wins: params rows, e, rowBytes, best, count, winner; locals mb, rp (row list pointer), end, j, and b, c, w, eq
const [ROWS, E, BYTES, BEST, COUNT, WINNER, WMB, RP, REND, J, B, C, WIN, EQ] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
] as const;
/** The next four members' scores in the row whose address is at rp. */
const rowLoad = [...get(RP), ...i32Load, ...get(WMB), i32Add, ...v128Load(0)];

function winsCode(): number[] {
  // biome-ignore format: one instruction group a line reads as the function's text
  const body = [
    ...get(ROWS), ...get(E), ...i32(2), i32Shl, i32Add, ...set(REND),
    ...LOOP, // members, 4 at a time
    ...F32_MINUS_INFINITY, ...f32x4Splat, ...set(B),
    ...get(ROWS), ...set(RP),
    ...BLOCK,
    ...get(RP), ...get(REND), i32Eq, ...brIf(0),
    ...LOOP, // b = max over the rows (pmax keeps b when the score is NaN)
    ...get(B), ...rowLoad, ...f32x4Pmax, ...set(B),
    ...get(RP), ...i32(4), i32Add, ...tee(RP), ...get(REND), i32Ne, ...brIf(0),
    END,
    END,
    ...v128Zero, ...set(C), ...v128Zero, ...set(WIN), ...i32(0), ...set(J),
    ...get(ROWS), ...set(RP),
    ...BLOCK,
    ...get(RP), ...get(REND), i32Eq, ...brIf(0),
    ...LOOP, // c += (score = b), w = j where it is
    ...rowLoad, ...get(B), ...f32x4Eq, ...set(EQ),
    ...get(C), ...get(EQ), ...i32x4Sub, ...set(C),
    ...get(J), ...i32x4Splat, ...get(WIN), ...get(EQ), ...v128Bitselect, ...set(WIN),
    ...get(J), ...i32(1), i32Add, ...set(J),
    ...get(RP), ...i32(4), i32Add, ...tee(RP), ...get(REND), i32Ne, ...brIf(0),
    END,
    END,
    ...get(BEST), ...get(WMB), i32Add, ...get(B), ...v128Store(0),
    ...get(COUNT), ...get(WMB), i32Add, ...get(C), ...v128Store(0),
    ...get(WINNER), ...get(WMB), i32Add, ...get(WIN), ...v128Store(0),
    ...get(WMB), ...i32(16), i32Add, ...tee(WMB), ...get(BYTES), i32Ne, ...brIf(0),
    END,
    END,
  ];
  return [
    ...vec([
      [4, I32],
      [4, V128],
    ]),
    ...body,
  ];
}

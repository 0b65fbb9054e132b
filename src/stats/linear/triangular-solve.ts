/* Triangular solves with the upper factor R (row-major d×d) of A = RᵀR. */

/** Solves Rᵀ y = x in place (forward substitution with L = Rᵀ); leading zeros of x cost nothing. */
export function solveLowerTransposed(r: Float64Array, d: number, x: Float64Array): void {
  for (let j = 0; j < d; j++) {
    const xj = x[j]!;
    if (xj === 0) continue;
    const jj = j * d;
    const yj = xj / r[jj + j]!;
    x[j] = yj;
    for (let i = j + 1; i < d; i++) x[i]! -= r[jj + i]! * yj;
  }
}

/**
 * Solves R y = x in place (back substitution). Each row is a dot product; two accumulators
 * halve the chain of dependent additions that otherwise bounds its speed.
 */
export function solveUpper(r: Float64Array, d: number, x: Float64Array): void {
  for (let i = d - 1; i >= 0; i--) {
    const ii = i * d;
    let s0 = x[i]!;
    let s1 = 0;
    let j = i + 1;
    for (; j + 1 < d; j += 2) {
      s0 -= r[ii + j]! * x[j]!;
      s1 -= r[ii + j + 1]! * x[j + 1]!;
    }
    if (j < d) s0 -= r[ii + j]! * x[j]!;
    x[i] = (s0 + s1) / r[ii + i]!;
  }
}

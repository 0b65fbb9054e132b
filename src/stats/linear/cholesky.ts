/*
 * Dense Cholesky factorizations on row-major Float64Arrays. The model keeps the upper factor
 * R = Lᵀ (A = RᵀR) because the column of L that a rank-one update and a forward solve walk
 * is then a contiguous row of R.
 */

/**
 * R (upper triangular, row-major d×d, strictly lower part zeroed) with RᵀR = A, reading only the
 * upper triangle of `a` (a and r may be the same array). Right-looking: each step subtracts an
 * outer product from the rows below, reading rows contiguously. O(d³/3).
 * Returns false (r is then garbage) when A is not numerically positive definite.
 */
export function choleskyUpper(a: Float64Array, d: number, r: Float64Array): boolean {
  if (r !== a) r.set(a.subarray(0, d * d));
  for (let k = 0; k < d; k++) {
    const kk = k * d;
    const pivot = r[kk + k]!;
    if (!(pivot > 0) || !Number.isFinite(pivot)) return false;
    const rkk = Math.sqrt(pivot);
    const inv = 1 / rkk;
    r[kk + k] = rkk;
    for (let j = k + 1; j < d; j++) r[kk + j]! *= inv;
    for (let i = k + 1; i < d; i++) {
      const rki = r[kk + i]!;
      if (rki === 0) continue;
      const ii = i * d;
      for (let j = i; j < d; j++) r[ii + j]! -= rki * r[kk + j]!;
    }
  }
  for (let i = 1; i < d; i++) r.fill(0, i * d, i * d + i);
  return true;
}

/**
 * L (lower triangular, row-major n×n) with L Lᵀ = C for a symmetric positive SEMI-definite C
 * (reads the lower triangle). A pivot at or below `tolerance` × the largest diagonal entry is
 * taken as zero and its column left at zero: for a PSD matrix the rest of that column is zero
 * too (up to rounding), so L Lᵀ still reproduces C. Used for the K×K covariance of K actions'
 * scores, which is singular when actions coincide or K exceeds the dimension.
 */
export function choleskySemidefinite(c: Float64Array, n: number, l: Float64Array, tolerance = 1e-12): void {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, c[i * n + i]!);
  const floor = tolerance * maxDiag;
  l.fill(0, 0, n * n);
  for (let j = 0; j < n; j++) {
    const jj = j * n;
    let pivot = c[jj + j]!;
    for (let k = 0; k < j; k++) pivot -= l[jj + k]! * l[jj + k]!;
    if (!(pivot > floor)) continue; // zero column
    const ljj = Math.sqrt(pivot);
    l[jj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ii = i * n;
      let s = c[ii + j]!;
      for (let k = 0; k < j; k++) s -= l[ii + k]! * l[jj + k]!;
      l[ii + j] = s / ljj;
    }
  }
}

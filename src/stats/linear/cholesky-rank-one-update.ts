/**
 * In place, R becomes the factor of RᵀR + x xᵀ (LINPACK dchud: a sequence of Givens
 * rotations). Backward stable and O(d²), against O(d³) for factorizing afresh; R stays upper
 * triangular with a positive diagonal. `x` (dense, length d) is used as scratch and destroyed.
 * Leading zeros of x are skipped: a rotation by a zero is the identity.
 */
export function choleskyRankOneUpdate(r: Float64Array, d: number, x: Float64Array): void {
  for (let k = 0; k < d; k++) {
    const xk = x[k]!;
    if (xk === 0) continue;
    const kk = k * d;
    const rkk = r[kk + k]!;
    const rho = Math.sqrt(rkk * rkk + xk * xk);
    const c = rho / rkk;
    const s = xk / rkk;
    const invC = rkk / rho;
    r[kk + k] = rho;
    for (let i = k + 1; i < d; i++) {
      const xi = x[i]!;
      const rki = (r[kk + i]! + s * xi) * invC;
      r[kk + i] = rki;
      x[i] = c * xi - s * rki;
    }
  }
}

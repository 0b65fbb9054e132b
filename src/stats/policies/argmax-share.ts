/**
 * Splits probability 1 evenly among the maxima of values[0..n): the exact choice
 * probabilities of a deterministic score under uniform random tie-breaking. In place
 * (values and out may be the same buffer).
 */
export function argmaxShare(values: Float64Array, n: number, out: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  let ties = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v > max) {
      max = v;
      ties = 1;
    } else if (v === max) ties++;
  }
  const share = 1 / ties;
  for (let i = 0; i < n; i++) out[i] = values[i] === max ? share : 0;
}

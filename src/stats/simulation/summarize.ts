export interface Spread {
  mean: number;
  /** Standard error of the mean: sample sd / √n (NaN when n < 2; null in JSON). */
  se: number;
  median: number;
}

/** Mean, standard error and median of a sample. */
export function summarize(xs: ArrayLike<number>): Spread {
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, se: Number.NaN, median: Number.NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i]! - mean) ** 2;
  const se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Number.NaN;
  const sorted = Float64Array.from(xs).sort();
  const mid = n >> 1;
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { mean, se, median };
}

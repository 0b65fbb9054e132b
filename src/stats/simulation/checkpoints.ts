import { requireFinite } from "../../domain/errors.js";

/**
 * Log-spaced steps 1 ≤ t ≤ T, `perDecade` per power of ten (the powers of ten themselves
 * included), rounded, deduplicated, always ending at T.
 */
export function logCheckpoints(horizon: number, perDecade = 4): number[] {
  requireFinite("horizon", horizon, { min: 1 });
  requireFinite("perDecade", perDecade, { min: 1 });
  const out = new Set<number>();
  const decades = Math.log10(horizon);
  for (let j = 0; j <= Math.ceil(decades * perDecade); j++) {
    const t = Math.round(10 ** (j / perDecade));
    if (t <= horizon) out.add(t);
  }
  out.add(horizon);
  return [...out].sort((a, b) => a - b);
}

/** `count` evenly spaced steps ending at T: T/n, 2T/n, …, T (rounded, deduplicated). */
export function linearCheckpoints(horizon: number, count = 10): number[] {
  requireFinite("horizon", horizon, { min: 1 });
  requireFinite("count", count, { min: 1 });
  const out = new Set<number>();
  for (let j = 1; j <= count; j++) out.add(Math.max(1, Math.round((j * horizon) / count)));
  return [...out].sort((a, b) => a - b);
}

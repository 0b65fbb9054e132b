import { BanditryError } from "../../domain/errors.js";
import type { Posterior } from "../posteriors/posterior.js";

export interface DensityPoint {
  x: number;
  density: number;
}

const PHI_MINUS_4 = 3.167124183311998e-5; // Φ(−4)
const PHI_MINUS_1 = 0.15865525393145707; // Φ(−1)

/**
 * The marginal density of the expected reward on `points` evenly spaced x, for plotting.
 * The window is median ± 4 "sigma-equivalents" (the distance from the median to the Φ(±1)
 * quantiles, so mean ± 4 sd for a normal-shaped posterior), clipped to the central
 * 1 − 2Φ(−4) of the mass: a Beta's window stays inside (0, 1), away from infinite endpoint
 * densities, and a heavy-tailed Student-t's tails are cut rather than stretching the plot.
 */
export function densityCurve(posterior: Posterior, points = 200): DensityPoint[] {
  if (!Number.isInteger(points) || points < 2) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `points must be an integer >= 2, got ${String(points)}`, {
      field: "points",
    });
  }
  const median = posterior.quantile(0.5);
  const lo = Math.max(posterior.quantile(PHI_MINUS_4), median - 4 * (median - posterior.quantile(PHI_MINUS_1)));
  const hi = Math.min(posterior.quantile(1 - PHI_MINUS_4), median + 4 * (posterior.quantile(1 - PHI_MINUS_1) - median));
  const step = (hi - lo) / (points - 1);
  const curve: DensityPoint[] = new Array(points);
  for (let i = 0; i < points; i++) {
    const x = i === points - 1 ? hi : lo + i * step;
    curve[i] = { x, density: posterior.density(x) };
  }
  return curve;
}

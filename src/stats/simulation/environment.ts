import { sampleBeta } from "../distributions/beta.js";
import { sampleStandardNormal } from "../distributions/normal.js";
import type { Rng } from "../rng.js";
import type { EnvironmentSpec } from "./environment-spec.js";

/**
 * One simulated world for one rep. The world's randomness (drift, arm replacement, reward noise)
 * comes from its own rng and one noise draw per step whatever the arm, so two policies run on
 * the same seed see the same trajectory of means and the same noise: common random numbers make
 * their regret difference far less noisy than independent runs would.
 */
export class Environment {
  readonly k: number;
  /** Current mean of each arm. */
  readonly means: Float64Array;
  /** Largest current mean. */
  best = 0;
  /** Arm replaced by churn at the last advance(), or −1. */
  replaced = -1;

  private readonly bernoulli: boolean;
  private readonly sd: number;
  private readonly rng: Rng;
  private readonly walkSigma: number;
  private readonly churn: { rate: number; alpha: number; beta: number } | undefined;
  /** Change steps of all change drifts merged in time order, with their target means (undefined: reverse). */
  private readonly changeAt: number[] = [];
  private readonly changeTo: (readonly number[] | undefined)[] = [];
  private nextChange = 0;

  /** `spec` must have been validated (validateEnvironmentSpec). */
  constructor(spec: EnvironmentSpec, rng: Rng) {
    this.k = spec.means.length;
    this.rng = rng;
    this.bernoulli = spec.reward === "bernoulli";
    this.sd = spec.sd ?? 1;
    this.means = Float64Array.from(spec.means);
    if (spec.meansPrior) {
      for (let i = 0; i < this.k; i++) this.means[i] = sampleBeta(rng, spec.meansPrior.alpha, spec.meansPrior.beta);
    }
    let sigma2 = 0;
    const changes: { at: number; to: readonly number[] | undefined }[] = [];
    for (const d of spec.drift ?? []) {
      if (d.kind === "walk")
        sigma2 += d.sigma * d.sigma; // independent walks add up
      else if (d.kind === "churn") this.churn = { rate: d.rate, alpha: d.alpha, beta: d.beta };
      else for (const [i, at] of d.at.entries()) changes.push({ at, to: d.means?.[i] });
    }
    this.walkSigma = Math.sqrt(sigma2);
    changes.sort((a, b) => a.at - b.at);
    for (const c of changes) {
      this.changeAt.push(c.at);
      this.changeTo.push(c.to);
    }
    this.updateBest();
  }

  /** True when the means can move during a run. */
  get drifting(): boolean {
    return this.walkSigma > 0 || this.churn !== undefined || this.changeAt.length > 0;
  }

  /** Applies the drift due before the decision at step t (0-based). Call once per step, in order. */
  advance(t: number): void {
    this.replaced = -1;
    let moved = false;
    while (this.nextChange < this.changeAt.length && this.changeAt[this.nextChange]! <= t) {
      const to = this.changeTo[this.nextChange++];
      if (to) this.means.set(to);
      else this.means.reverse();
      moved = true;
    }
    if (this.walkSigma > 0) {
      const m = this.means;
      const s = this.walkSigma;
      for (let i = 0; i < this.k; i++) {
        let v = m[i]! + s * sampleStandardNormal(this.rng);
        if (this.bernoulli) v = Math.max(0, Math.min(v, 1));
        m[i] = v;
      }
      moved = true;
    }
    if (this.churn && this.rng.next() < this.churn.rate) {
      const arm = this.rng.nextInt(this.k);
      this.means[arm] = sampleBeta(this.rng, this.churn.alpha, this.churn.beta);
      this.replaced = arm;
      moved = true;
    }
    if (moved) this.updateBest();
  }

  /** The reward of pulling `arm` now. Draws the step's noise (one draw per step, whatever the arm). */
  reward(arm: number): number {
    if (this.bernoulli) return this.rng.next() < this.means[arm]! ? 1 : 0;
    return this.means[arm]! + this.sd * sampleStandardNormal(this.rng);
  }

  private updateBest(): void {
    let b = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.k; i++) if (this.means[i]! > b) b = this.means[i]!;
    this.best = b;
  }
}

import { GLOBAL_SEGMENT } from "../domain/experiment.js";
import type { Policy } from "../stats/policies/policy.js";
import { createPolicy } from "../stats/policies/registry.js";
import type { Posterior } from "../stats/posteriors/posterior.js";
import type { Evidence, ExperimentRecord, PosteriorRow } from "../stores/stores.js";
import { newPosterior, setEvidence } from "./evidence.js";

/** Per segment, one Float64Array laid out field-major: FIELD * capacity + arm. */
export const F_N = 0;
export const F_S1 = 1;
export const F_S2 = 2;
export const F_PULLS = 3;
export const F_REWARDS = 4;
export const F_REWARD_SUM = 5;
const FIELDS = 6;

/**
 * The in-memory model of one experiment: its record, its policy, and per segment the
 * decay-scaled evidence and raw counters of every arm. Segments are created on their first
 * committed pull, so reads never grow memory. One packed array per segment keeps a million
 * (segment, arm) posteriors within a few hundred megabytes.
 */
export class ExperimentModel {
  record: ExperimentRecord;
  policy: Policy;
  readonly armIndex = new Map<string, number>();
  private readonly armIds: string[] = [];
  readonly segments = new Map<string, Float64Array>();
  private capacity = 0;
  /** Reusable posterior objects and buffers for sampling (never allocated per decision). */
  private posteriors: Posterior[] = [];
  private active: number[] = [];
  private activePosteriors: Posterior[] = [];

  constructor(record: ExperimentRecord) {
    this.record = record;
    this.policy = createPolicy(record.policy, record.policyOptions);
    this.setRecord(record);
  }

  /** Applies a new version of the record: new arms, states, policy or prior. */
  setRecord(record: ExperimentRecord): void {
    const old = this.record;
    this.record = record;
    if (old.policy !== record.policy || JSON.stringify(old.policyOptions) !== JSON.stringify(record.policyOptions)) {
      this.policy = createPolicy(record.policy, record.policyOptions);
    }
    for (const arm of record.arms) {
      if (!this.armIndex.has(arm.id)) {
        this.armIndex.set(arm.id, this.armIds.length);
        this.armIds.push(arm.id);
      }
    }
    const needed = this.armIndex.size;
    if (needed > this.capacity) this.grow(Math.max(needed, this.capacity * 2, 4));
    if (old !== record && JSON.stringify(old.prior) !== JSON.stringify(record.prior)) this.posteriors = [];
    while (this.posteriors.length < this.capacity) this.posteriors.push(newPosterior(record.reward, record.prior));
    this.active = [];
    for (const arm of record.arms) if (arm.state === "active") this.active.push(this.armIndex.get(arm.id)!);
    this.activePosteriors = this.active.map((i) => this.posteriors[i]!);
  }

  private grow(capacity: number): void {
    for (const [key, old] of this.segments) this.segments.set(key, resize(old, this.capacity, capacity));
    this.capacity = capacity;
  }

  get activeArms(): readonly number[] {
    return this.active;
  }

  armId(index: number): string {
    return this.armIds[index]!;
  }

  segment(key: string, create: boolean): Float64Array | undefined {
    let s = this.segments.get(key);
    if (s === undefined && create) {
      s = new Float64Array(FIELDS * this.capacity);
      this.segments.set(key, s);
    }
    return s;
  }

  /** Current forward-decay weight: evidence in memory × this = evidence now. */
  decayFactor(now: number): number {
    const h = this.record.decayHalfLife;
    return h === null ? 1 : 2 ** (-(now - this.record.decayLandmark) / (h * 1000));
  }

  /** Weight a reward at time t gets so that later decay is a single multiplication. */
  evidenceScale(t: number): number {
    const h = this.record.decayHalfLife;
    return h === null ? 1 : 2 ** ((t - this.record.decayLandmark) / (h * 1000));
  }

  addPull(segment: string, arm: number): void {
    this.segment(segment, true)![F_PULLS * this.capacity + arm]! += 1;
    if (segment !== GLOBAL_SEGMENT) this.segment(GLOBAL_SEGMENT, true)![F_PULLS * this.capacity + arm]! += 1;
  }

  addEvidence(segment: string, arm: number, e: Evidence, rawValue: number | null): void {
    this.addTo(this.segment(segment, true)!, arm, e, rawValue);
    if (segment !== GLOBAL_SEGMENT) this.addTo(this.segment(GLOBAL_SEGMENT, true)!, arm, e, rawValue);
  }

  private addTo(s: Float64Array, arm: number, e: Evidence, rawValue: number | null): void {
    const c = this.capacity;
    s[F_N * c + arm]! += e.n;
    s[F_S1 * c + arm]! += e.s1;
    s[F_S2 * c + arm]! += e.s2;
    if (rawValue !== null) {
      s[F_REWARDS * c + arm]! += 1;
      s[F_REWARD_SUM * c + arm]! += rawValue;
    }
  }

  /** Replaces a (segment, arm) with the store's totals (multi-instance refresh). */
  applyRow(row: PosteriorRow): void {
    let arm = this.armIndex.get(row.armId);
    if (arm === undefined) return; // an arm another instance added; the record refresh brings it
    const s = this.segment(row.segment, true)!;
    const c = this.capacity;
    arm = arm as number;
    s[F_N * c + arm] = row.n;
    s[F_S1 * c + arm] = row.s1;
    s[F_S2 * c + arm] = row.s2;
    s[F_PULLS * c + arm] = row.pulls;
    s[F_REWARDS * c + arm] = row.rewards;
    s[F_REWARD_SUM * c + arm] = row.rewardSum;
  }

  /** Multiplies all decay-scaled evidence (re-basing the forward-decay landmark). */
  scaleEvidence(factor: number): void {
    const c = this.capacity;
    for (const s of this.segments.values()) {
      for (let i = F_N * c; i < (F_S2 + 1) * c; i++) s[i]! *= factor;
    }
  }

  field(segment: Float64Array | undefined, field: number, arm: number): number {
    return segment === undefined ? 0 : segment[field * this.capacity + arm]!;
  }

  /**
   * Fills the reusable posteriors of the active arms for a segment and returns them, in
   * the order of activeArms. A segment borrows the rest of the experiment's evidence,
   * shrunk to at most segmentPseudoCount observations, so a new or thin segment starts
   * from what the experiment knows and its own data dominates as it grows.
   */
  posteriorsFor(segment: string, now: number): readonly Posterior[] {
    this.fill(segment, now, this.active, this.posteriors);
    return this.activePosteriors;
  }

  /** Posteriors of every arm (any state) for a segment; fresh objects, for stats. */
  allPosteriorsFor(segment: string, now: number): Posterior[] {
    const out = this.record.arms.map(() => newPosterior(this.record.reward, this.record.prior));
    const idx = this.record.arms.map((a) => this.armIndex.get(a.id)!);
    const byIndex: Posterior[] = [];
    idx.forEach((armIdx, i) => {
      byIndex[armIdx] = out[i]!;
    });
    this.fill(segment, now, idx, byIndex);
    return out;
  }

  private fill(segment: string, now: number, arms: readonly number[], target: Posterior[]): void {
    const f = this.decayFactor(now);
    const c = this.capacity;
    const g = this.segments.get(GLOBAL_SEGMENT);
    const own = segment === GLOBAL_SEGMENT ? g : this.segments.get(segment);
    const m = this.record.segmentPseudoCount;
    for (let j = 0; j < arms.length; j++) {
      const a = arms[j]!;
      let n = own === undefined ? 0 : own[F_N * c + a]!;
      let s1 = own === undefined ? 0 : own[F_S1 * c + a]!;
      let s2 = own === undefined ? 0 : own[F_S2 * c + a]!;
      if (segment !== GLOBAL_SEGMENT && g !== undefined && m > 0) {
        const on = g[F_N * c + a]! - n;
        if (on > 0) {
          // evidence is decay-scaled; the pseudo-count cap applies to decayed observations
          const w = on * f > m ? m / (on * f) : 1;
          n += w * on;
          s1 += w * (g[F_S1 * c + a]! - s1);
          s2 += w * (g[F_S2 * c + a]! - s2);
        }
      }
      setEvidence(target[a]!, n * f, s1 * f, s2 * f);
    }
  }
}

function resize(old: Float64Array, oldCap: number, cap: number): Float64Array {
  const next = new Float64Array(FIELDS * cap);
  for (let f = 0; f < FIELDS; f++) next.set(old.subarray(f * oldCap, (f + 1) * oldCap), f * cap);
  return next;
}

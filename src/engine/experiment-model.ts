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
 * decay-scaled evidence and raw counters of every arm. All segments live in one growable
 * slab (a segment is a slot of FIELDS × capacity doubles, field-major), indexed by a Map
 * from segment key to slot: a million (segment, arm) posteriors then cost about 100-150
 * bytes each instead of an object apiece. Segments are created on their first committed
 * pull, so reads never grow memory.
 */
export class ExperimentModel {
  record: ExperimentRecord;
  policy: Policy;
  readonly armIndex = new Map<string, number>();
  private readonly armIds: string[] = [];
  /** Segment key → slot in the slab. */
  readonly segments = new Map<string, number>();
  private slab = new Float64Array(0);
  /** Arms per slot (≥ arms ever seen). */
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
    if (this.armIds.length > this.capacity) this.relayout(this.armIds.length);
    if (old !== record && JSON.stringify(old.prior) !== JSON.stringify(record.prior)) this.posteriors = [];
    while (this.posteriors.length < this.capacity) this.posteriors.push(newPosterior(record.reward, record.prior));
    this.active = [];
    for (const arm of record.arms) if (arm.state === "active") this.active.push(this.armIndex.get(arm.id)!);
    this.activePosteriors = this.active.map((i) => this.posteriors[i]!);
  }

  /** New arm capacity: every slot is copied into the new layout (arms are added rarely). */
  private relayout(capacity: number): void {
    const next = new Float64Array(Math.max(this.segments.size, 1) * FIELDS * capacity);
    const old = this.capacity;
    for (let slot = 0; slot < this.segments.size; slot++) {
      for (let f = 0; f < FIELDS; f++) {
        const from = slot * FIELDS * old + f * old;
        next.set(this.slab.subarray(from, from + old), slot * FIELDS * capacity + f * capacity);
      }
    }
    this.slab = next;
    this.capacity = capacity;
  }

  get activeArms(): readonly number[] {
    return this.active;
  }

  armId(index: number): string {
    return this.armIds[index]!;
  }

  /** Offset of a segment's slot in the slab; creates the segment when asked to. */
  private slot(key: string, create: boolean): number {
    const slot = this.segments.get(key);
    if (slot !== undefined) return slot * FIELDS * this.capacity;
    if (!create) return -1;
    const next = this.segments.size;
    const size = FIELDS * this.capacity;
    if ((next + 1) * size > this.slab.length) {
      const grown = new Float64Array(
        Math.max(size, Math.ceil((this.slab.length * 1.5) / size) * size, (next + 1) * size),
      );
      grown.set(this.slab);
      this.slab = grown;
    }
    this.segments.set(key, next);
    return next * size;
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
    // slot() may grow (replace) the slab: take the offset before touching this.slab
    const at = this.slot(segment, true) + F_PULLS * this.capacity + arm;
    this.slab[at]! += 1;
    if (segment !== GLOBAL_SEGMENT) {
      const g = this.slot(GLOBAL_SEGMENT, true) + F_PULLS * this.capacity + arm;
      this.slab[g]! += 1;
    }
  }

  addEvidence(segment: string, arm: number, e: Evidence, rawValue: number | null): void {
    const at = this.slot(segment, true);
    this.addTo(at, arm, e, rawValue);
    if (segment !== GLOBAL_SEGMENT) {
      const g = this.slot(GLOBAL_SEGMENT, true);
      this.addTo(g, arm, e, rawValue);
    }
  }

  private addTo(base: number, arm: number, e: Evidence, rawValue: number | null): void {
    const c = this.capacity;
    const s = this.slab;
    s[base + F_N * c + arm]! += e.n;
    s[base + F_S1 * c + arm]! += e.s1;
    s[base + F_S2 * c + arm]! += e.s2;
    if (rawValue !== null) {
      s[base + F_REWARDS * c + arm]! += 1;
      s[base + F_REWARD_SUM * c + arm]! += rawValue;
    }
  }

  /** Replaces a (segment, arm) with the store's totals (multi-instance refresh). */
  applyRow(row: PosteriorRow): void {
    const arm = this.armIndex.get(row.armId);
    if (arm === undefined) return; // an arm another instance added; the record refresh brings it
    const base = this.slot(row.segment, true) + arm;
    const c = this.capacity;
    const s = this.slab;
    s[base + F_N * c] = row.n;
    s[base + F_S1 * c] = row.s1;
    s[base + F_S2 * c] = row.s2;
    s[base + F_PULLS * c] = row.pulls;
    s[base + F_REWARDS * c] = row.rewards;
    s[base + F_REWARD_SUM * c] = row.rewardSum;
  }

  /** Multiplies all decay-scaled evidence (re-basing the forward-decay landmark). */
  scaleEvidence(factor: number): void {
    const c = this.capacity;
    for (let slot = 0; slot < this.segments.size; slot++) {
      const base = slot * FIELDS * c;
      for (let i = base + F_N * c; i < base + (F_S2 + 1) * c; i++) this.slab[i]! *= factor;
    }
  }

  /** One counter or evidence field of (segment, arm); 0 for a segment without data. */
  field(segment: string, field: number, arm: number): number {
    const base = this.slot(segment, false);
    return base < 0 ? 0 : this.slab[base + field * this.capacity + arm]!;
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

  /** Posteriors of every arm (any state) for a segment, in record order; fresh objects, for stats. */
  allPosteriorsFor(segment: string, now: number): Posterior[] {
    const out = this.record.arms.map(() => newPosterior(this.record.reward, this.record.prior));
    const byIndex: Posterior[] = [];
    this.record.arms.forEach((a, i) => {
      byIndex[this.armIndex.get(a.id)!] = out[i]!;
    });
    this.fill(
      segment,
      now,
      this.record.arms.map((a) => this.armIndex.get(a.id)!),
      byIndex,
    );
    return out;
  }

  private fill(segment: string, now: number, arms: readonly number[], target: Posterior[]): void {
    const f = this.decayFactor(now);
    const c = this.capacity;
    const s = this.slab;
    const g = this.slot(GLOBAL_SEGMENT, false);
    const own = segment === GLOBAL_SEGMENT ? g : this.slot(segment, false);
    const m = this.record.segmentPseudoCount;
    for (let j = 0; j < arms.length; j++) {
      const a = arms[j]!;
      let n = own < 0 ? 0 : s[own + F_N * c + a]!;
      let s1 = own < 0 ? 0 : s[own + F_S1 * c + a]!;
      let s2 = own < 0 ? 0 : s[own + F_S2 * c + a]!;
      if (segment !== GLOBAL_SEGMENT && g >= 0 && m > 0) {
        // the rest of the experiment: global minus this segment, worth at most m observations
        const restN = s[g + F_N * c + a]! - n;
        if (restN > 0) {
          const w = restN * f > m ? m / (restN * f) : 1;
          const restS1 = s[g + F_S1 * c + a]! - s1;
          const restS2 = s[g + F_S2 * c + a]! - s2;
          n += w * restN;
          s1 += w * restS1;
          s2 += w * restS2;
        }
      }
      setEvidence(target[a]!, n * f, s1 * f, s2 * f);
    }
  }
}

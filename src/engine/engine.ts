import type { Decision } from "../domain/decision.js";
import { BanditryError, isBanditryError } from "../domain/errors.js";
import { type Experiment, GLOBAL_SEGMENT, type Group } from "../domain/experiment.js";
import { invalid, readBoolean, readObject, readString } from "../domain/validate.js";
import {
  linearEvidenceChanged,
  validateArmInput,
  validateArmState,
  validateExperimentInput,
  validateExperimentUpdate,
  validateRewardValue,
} from "../domain/validate-experiment.js";
import { createRng, type Rng } from "../stats/rng.js";
import type { CommitBatch, CommitResult, ExperimentRecord, RewardOp, RewardOutcome, Stores } from "../stores/stores.js";
import type { Choice } from "./choice.js";
import { isControlUnit } from "./control-assignment.js";
import type {
  DecideInput,
  DecideResult,
  DecisionService,
  ExperimentStats,
  LinearModelExport,
  RewardItemResult,
} from "./decision-service.js";
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from "./engine-options.js";
import { eventExists, eventNotFound, rewardExists } from "./event-errors.js";
import { evidenceOf } from "./evidence.js";
import { ExperimentModel } from "./experiment-model.js";
import { experimentStats } from "./experiment-stats.js";
import { GroupCommitter } from "./group-committer.js";
import { RewardFailure } from "./group-committer-batch.js";
import { decisionPool, type LinearDecisionDeps, linearDecision } from "./linear/linear-decision.js";
import {
  DEFAULT_LINEAR_LEARNING_OPTIONS,
  LinearLearning,
  type LinearLearningOptions,
} from "./linear/linear-learning.js";
import { type LinearRankState, linearRankSettings } from "./linear/linear-rank-state.js";
import { linearStats } from "./linear/linear-stats.js";
import { newEventId } from "./new-event-id.js";
import { type DecisionInfo, RecentDecisions } from "./recent-decisions.js";
import { type SegmentDecisionDeps, segmentDecision } from "./segment-decision.js";

export { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from "./engine-options.js";

/** Overlap of consecutive refresh windows, so rows written around a refresh are not missed. */
const REFRESH_OVERLAP_MS = 5000;
/** Re-base forward decay before 2^x grows toward the double range (2^1023). */
const MAX_DECAY_EXPONENT = 500;
const MAX_ID = 256;

export interface EngineDeps {
  stores: Pick<Stores, "experimentStore" | "eventStore" | "linearStore">;
  options?: Partial<Omit<EngineOptions, "linear">> & { linear?: Partial<LinearLearningOptions> };
  now?: () => number;
  /** Receives errors of background work (refresh, default rewards). */
  onBackgroundError?: (error: unknown, task: string) => void;
  /** Called after each group commit with its size and how long the write took (metrics). */
  onCommit?: (events: number, seconds: number) => void;
}

export interface EngineCounters {
  decisions: number;
  rewards: Record<RewardOutcome, number>;
  activations: number;
}

export type Engine = DecisionService & {
  linearRankState(experimentId: string): Promise<LinearRankState | undefined>;
  start(): Promise<void>;
  close(): Promise<void>;
  refresh(): Promise<void>;
  applyDueDefaultRewards(): Promise<number>;
  readonly counters: EngineCounters;
  readonly commitStats: GroupCommitter["stats"];
};

export function createEngine(deps: EngineDeps): Engine {
  return new DecisionEngine(deps);
}

class DecisionEngine implements Engine {
  private readonly options: EngineOptions;
  private readonly now: () => number;
  private readonly models = new Map<string, ExperimentModel>();
  private readonly recent: RecentDecisions;
  private readonly committer: GroupCommitter;
  /** Draws one seed per decision; the decision's own generator is re-seeded with it. */
  private readonly seeder: Rng;
  private readonly decisionRng: Rng;
  private readonly segmentDeps: SegmentDecisionDeps;
  private readonly linear: LinearLearning;
  private readonly linearDeps: LinearDecisionDeps;
  private timers: NodeJS.Timeout[] = [];
  private lastRefresh = 0;
  readonly counters: EngineCounters = {
    decisions: 0,
    rewards: { applied: 0, stored: 0, duplicate: 0, unknown: 0 },
    activations: 0,
  };

  constructor(private readonly deps: EngineDeps) {
    this.options = {
      ...DEFAULT_ENGINE_OPTIONS,
      ...deps.options,
      linear: { ...DEFAULT_LINEAR_LEARNING_OPTIONS, ...deps.options?.linear },
    };
    this.now = deps.now ?? Date.now;
    this.recent = new RecentDecisions(this.options.recentDecisions);
    this.seeder = createRng(this.options.seed ?? Math.floor(Date.now() % 4294967296) ^ process.pid);
    this.decisionRng = createRng(0);
    this.committer = new GroupCommitter(deps.stores.eventStore, {
      flushIntervalMs: this.options.flushIntervalMs,
      maxBatch: this.options.maxBatch,
      now: this.now,
      rewardWaitMs: (id) => {
        const r = this.models.get(id)?.record;
        return r && r.rewardWaitSeconds !== null && r.defaultReward !== null ? r.rewardWaitSeconds * 1000 : undefined;
      },
      onCommitted: (batch, result) => this.applyCommitted(batch, result),
      ...(deps.onCommit === undefined ? {} : { onCommit: deps.onCommit }),
    });
    this.linear = new LinearLearning(
      deps.stores.linearStore,
      this.options.linear,
      this.now,
      (e) => deps.onBackgroundError?.(e, "linear learning"),
      () => this.seeder.nextU32(),
    );
    this.segmentDeps = {
      now: this.now,
      seeder: this.seeder,
      decisionRng: this.decisionRng,
      scratch: { scores: new Float64Array(64) },
      propensityDraws: this.options.propensityDraws,
    };
    this.linearDeps = {
      experimentStore: deps.stores.experimentStore,
      learning: this.linear,
      now: this.now,
      saveRecord: (model, record) => this.saveRecord(model, record),
      seeder: this.seeder,
      decisionRng: this.decisionRng,
      draws: this.options.linearDraws,
      policy: this.options.linear.policy,
    };
  }

  get commitStats(): GroupCommitter["stats"] {
    return this.committer.stats;
  }

  async start(): Promise<void> {
    this.lastRefresh = this.now();
    const records = await this.deps.stores.experimentStore.list({ includeArchived: true });
    for (const r of records) await this.loadModel(r);
    for (const r of records) if (r.context === "linear" && r.status === "active") await this.linear.learner(r);
    if (this.options.refreshIntervalMs > 0) this.every(this.options.refreshIntervalMs, "refresh", () => this.refresh());
    if (this.options.defaultRewardIntervalMs > 0) {
      this.every(this.options.defaultRewardIntervalMs, "default rewards", () => this.applyDueDefaultRewards());
    }
  }

  private every(ms: number, task: string, work: () => Promise<unknown>): void {
    let running = false;
    const t = setInterval(() => {
      if (running) return;
      running = true;
      work()
        .catch((e) => this.deps.onBackgroundError?.(e, task))
        .finally(() => {
          running = false;
        });
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.committer.close();
    await this.linear.close();
  }

  // ---- experiments -------------------------------------------------------------------

  async createExperiment(body: unknown): Promise<Experiment> {
    const input = validateExperimentInput(body);
    const now = this.now();
    const record: ExperimentRecord = {
      id: input.id,
      name: input.name,
      status: "active",
      arms: input.arms.map((a) => ({ ...a, state: "active" as const, createdAt: now })),
      ...input.config,
      createdAt: now,
      updatedAt: now,
      decayLandmark: now,
    };
    await this.deps.stores.experimentStore.create(record);
    this.models.set(record.id, new ExperimentModel(record));
    return publicExperiment(record);
  }

  async listExperiments(options: { includeArchived?: boolean } = {}): Promise<Experiment[]> {
    const records = await this.deps.stores.experimentStore.list(options);
    return records.map(publicExperiment);
  }

  async getExperiment(id: string): Promise<Experiment> {
    return publicExperiment((await this.model(id)).record);
  }

  async updateExperiment(id: string, body: unknown): Promise<Experiment> {
    const model = await this.model(id);
    const armIds = new Set(model.record.arms.map((a) => a.id));
    const { name, config } = validateExperimentUpdate(body, model.record, armIds);
    const patch = name === undefined ? { config } : { name, config };
    const before = model.record;
    const experiment = this.saveRecord(model, await this.deps.stores.experimentStore.update(id, patch, this.now()));
    // the learned evidence means something else under the new options: start over (documented in the API)
    if (linearEvidenceChanged(before, model.record)) await (await this.linear.learner(model.record)).reset();
    return experiment;
  }

  async archiveExperiment(id: string): Promise<Experiment> {
    const model = await this.model(id);
    return this.saveRecord(
      model,
      await this.deps.stores.experimentStore.update(id, { status: "archived" }, this.now()),
    );
  }

  async addArm(experimentId: string, body: unknown): Promise<Experiment> {
    const model = await this.model(experimentId);
    const arm = validateArmInput(body);
    const now = this.now();
    const record = await this.deps.stores.experimentStore.addArm(
      experimentId,
      { ...arm, state: "active", createdAt: now },
      now,
    );
    return this.saveRecord(model, record);
  }

  async setArmState(experimentId: string, armId: string, body: unknown): Promise<Experiment> {
    const model = await this.model(experimentId);
    const state = validateArmState(body);
    const record = await this.deps.stores.experimentStore.setArmState(experimentId, armId, state, this.now());
    return this.saveRecord(model, record);
  }

  private saveRecord(model: ExperimentModel, record: ExperimentRecord): Experiment {
    model.setRecord(record);
    if (record.context === "linear") this.linear.setRecord(record);
    return publicExperiment(record);
  }

  /** The model of an experiment, loading it when another instance created it. */
  private async model(id: unknown): Promise<ExperimentModel> {
    const key = typeof id === "string" ? id : "";
    const m = this.models.get(key);
    if (m) return m;
    const record = key === "" ? undefined : await this.deps.stores.experimentStore.get(key);
    if (!record) {
      throw new BanditryError("BANDITRY_EXPERIMENT_NOT_FOUND", `experiment ${JSON.stringify(key)} does not exist`, {
        field: "experimentId",
      });
    }
    return this.models.get(key) ?? (await this.loadModel(record));
  }

  private async loadModel(record: ExperimentRecord): Promise<ExperimentModel> {
    const model = new ExperimentModel(record);
    for (const row of await this.deps.stores.eventStore.loadPosteriors(record.id)) model.applyRow(row);
    const existing = this.models.get(record.id);
    if (existing) return existing; // loaded concurrently
    this.models.set(record.id, model);
    return model;
  }

  // ---- decisions ---------------------------------------------------------------------

  async decide(input: DecideInput): Promise<DecideResult> {
    let model = this.models.get(input.experimentId) ?? (await this.model(input.experimentId));
    if (model.record.status === "archived") {
      throw new BanditryError(
        "BANDITRY_EXPERIMENT_ARCHIVED",
        `experiment ${JSON.stringify(model.record.id)} is archived`,
        { field: "experimentId" },
      );
    }
    // A generated id is new by construction: only a client's id can repeat a recent one.
    const eventId = input.eventId === undefined ? newEventId() : readString(input.eventId, "eventId", { max: MAX_ID });
    if (input.eventId !== undefined && this.recent.has(eventId)) throw eventExists(eventId);
    const linear = model.record.context === "linear";
    const context =
      input.context === undefined || input.context === null || (linear && Array.isArray(input.context))
        ? null
        : readObject(input.context, "context");
    const unitId =
      input.unitId === undefined || input.unitId === null ? null : readString(input.unitId, "unitId", { max: MAX_ID });
    const activate = input.activate === undefined ? true : readBoolean(input.activate, "activate");
    const control = model.record.control;
    const group: Group =
      control !== null && isControlUnit(model.record.id, unitId ?? eventId, control.share) ? "control" : "bandit";

    let choice: Choice;
    if (linear) {
      choice = { ...(await linearDecision(this.linearDeps, model, input, group)), segment: GLOBAL_SEGMENT };
      model = this.models.get(model.record.id) ?? model;
    } else {
      choice = segmentDecision(this.segmentDeps, model, input, context, group);
    }
    const record = model.record;
    const now = this.now();
    const { armId, segment, ranking, propensity, seed } = choice;
    const decision: Decision = {
      eventId,
      experimentId: record.id,
      segment,
      context,
      unitId,
      armId,
      ranking,
      propensity,
      group,
      seed,
      activated: activate,
      createdAt: now,
    };
    if (choice.features !== undefined) decision.features = choice.features;
    if (choice.featuresText !== undefined) decision.featuresText = choice.featuresText;
    if (choice.featureSpans !== undefined) decision.featureSpans = choice.featureSpans;
    if (choice.featureDigests !== undefined) decision.featureDigests = choice.featureDigests;
    if (choice.rankingText !== undefined) decision.rankingText = choice.rankingText;
    const info: DecisionInfo = { experimentId: record.id, segment, armId, group, activated: activate, rewarded: false };
    if (input.eventId !== undefined && this.recent.has(eventId)) throw eventExists(eventId); // claimed while a linear decision awaited
    this.recent.set(eventId, info); // claims the id at once: a concurrent duplicate is refused
    let inserted: boolean;
    try {
      inserted = await this.committer.addDecision(decision);
    } catch (e) {
      this.recent.delete(eventId);
      throw e;
    }
    if (!inserted) {
      // another instance logged this id first: the entry we claimed describes our unlogged draw
      this.recent.delete(eventId);
      throw eventExists(eventId);
    }
    this.counters.decisions++;
    const arm = record.arms.find((a) => a.id === armId);
    const result: DecideResult = {
      eventId,
      arm: { id: armId, value: arm?.value ?? null },
      group,
      segment,
      propensity,
      seed,
    };
    if (ranking !== null) result.ranking = ranking;
    if (choice.explanation !== undefined) result.explanation = choice.explanation;
    return result;
  }

  async linearRankState(experimentId: string): Promise<LinearRankState | undefined> {
    const model = this.models.get(experimentId) ?? (await this.model(experimentId));
    const record = model.record;
    if (record.context !== "linear" || record.status === "archived" || record.control !== null) return undefined;
    if (this.linearDeps.policy !== "pool") return undefined;
    const learner = await this.linear.learner(record);
    if (model.record !== record) return undefined; // changed meanwhile: decide() takes it from here
    return {
      settings: linearRankSettings(record),
      options: learner.model.options,
      pool: decisionPool(this.linearDeps.policy, record, learner),
      seed: this.seeder.nextU32(),
    };
  }

  // ---- rewards -----------------------------------------------------------------------

  async reward(eventId: string, value: unknown): Promise<void> {
    const id = readString(eventId, "eventId", { max: MAX_ID });
    const info = (await this.lookup([id])).get(id);
    if (!info) throw eventNotFound(id);
    const outcome = await this.committer.addReward(this.rewardOp(id, info, value));
    if (outcome === "duplicate") throw rewardExists(id);
    if (outcome === "unknown") throw eventNotFound(id);
  }

  async rewardBatch(items: readonly { eventId: unknown; value: unknown }[]): Promise<RewardItemResult[]> {
    if (!Array.isArray(items)) invalid("rewards", "must be an array");
    if (items.length > this.options.maxRewardBatch) {
      invalid("rewards", `must have at most ${this.options.maxRewardBatch} items, got ${items.length}`);
    }
    const ids = items.map((it) =>
      typeof it?.eventId === "string" && it.eventId.length > 0 && it.eventId.length <= MAX_ID ? it.eventId : null,
    );
    const infos = await this.lookup(ids.filter((x): x is string => x !== null));
    const results: RewardItemResult[] = new Array(items.length);
    const ops: RewardOp[] = [];
    /** Per op, the index of its item. */
    const opItems: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      const id = ids[i]!;
      const eventId = typeof it?.eventId === "string" ? it.eventId : String(it?.eventId);
      try {
        if (id === null) readString(it?.eventId, `rewards[${i}].eventId`, { max: MAX_ID });
        const info = infos.get(id!);
        if (!info) {
          results[i] = { eventId, status: "unknown" };
          continue;
        }
        ops.push(this.rewardOp(id!, info, it!.value, `rewards[${i}].value`));
        opItems.push(i);
      } catch (e) {
        results[i] = rewardItemError(eventId, e);
      }
    }
    // one promise for the batch's ops; each still gets its own outcome (or failure)
    const outcomes = await this.committer.addRewards(ops);
    for (let j = 0; j < outcomes.length; j++) {
      const i = opItems[j]!;
      const eventId = ops[j]!.eventId;
      const outcome = outcomes[j]!;
      results[i] =
        outcome instanceof RewardFailure ? rewardItemError(eventId, outcome.error) : { eventId, status: outcome };
    }
    return results;
  }

  private rewardOp(eventId: string, info: DecisionInfo, value: unknown, field = "value"): RewardOp {
    const model = this.models.get(info.experimentId);
    if (!model) throw eventNotFound(eventId);
    const record = model.record;
    const v = validateRewardValue(value, record.reward, field);
    if (record.rewardAggregation === "earliest" && info.rewarded) throw rewardExists(eventId);
    const now = this.now();
    return {
      eventId,
      experimentId: info.experimentId,
      segment: info.segment,
      armId: info.armId,
      group: info.group,
      value: v,
      isDefault: false,
      createdAt: now,
      aggregation: record.rewardAggregation,
      evidence: evidenceOf(record.reward, record.prior, v, model.evidenceScale(now)),
    };
  }

  async activate(eventId: string): Promise<void> {
    const id = readString(eventId, "eventId", { max: MAX_ID });
    const info = (await this.lookup([id])).get(id);
    if (!info) throw eventNotFound(id);
    const outcome = await this.committer.addActivation(id);
    if (outcome === "unknown") throw eventNotFound(id);
  }

  /** Decisions by event id: memory first, then one store read for the rest. */
  private async lookup(ids: readonly string[]): Promise<Map<string, DecisionInfo>> {
    const out = new Map<string, DecisionInfo>();
    const missing: string[] = [];
    for (const id of ids) {
      const info = this.recent.get(id);
      if (info) out.set(id, info);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const found = await this.deps.stores.eventStore.decisionRefs(missing);
      for (const [id, d] of found) {
        // decisions of an experiment created elsewhere (no await when known: one per reward adds up)
        if (!this.models.has(d.experimentId)) await this.model(d.experimentId);
        const info: DecisionInfo = {
          experimentId: d.experimentId,
          segment: d.segment,
          armId: d.armId,
          group: d.group,
          activated: d.activated,
          rewarded: false, // unknown here; the store refuses a second earliest reward
        };
        out.set(id, info);
      }
    }
    return out;
  }

  /** Runs after each group commit, before any caller hears back: memory follows the store. */
  private applyCommitted(batch: CommitBatch, result: CommitResult): void {
    batch.decisions.forEach((d, i) => {
      if (!result.decisionsInserted[i]) return;
      const model = this.models.get(d.experimentId);
      const arm = model?.armIndex.get(d.armId);
      if (model && arm !== undefined) model.addPull(d.segment, arm);
    });
    batch.rewards.forEach((r, i) => {
      const outcome = result.rewardOutcomes[i]!;
      this.counters.rewards[outcome]++;
      if (outcome === "applied" || outcome === "stored") {
        const info = this.recent.get(r.eventId);
        if (info) info.rewarded = true;
      }
      if (outcome !== "applied") return;
      const model = this.models.get(r.experimentId);
      const arm = model?.armIndex.get(r.armId);
      if (model && arm !== undefined) model.addEvidence(r.segment, arm, r.evidence, r.value);
      // the linear model learns from the store's learning log, which now holds this reward
      if (model?.record.context === "linear") this.linear.schedule(r.experimentId);
    });
    batch.activations.forEach((id, i) => {
      if (result.activationOutcomes[i] === "activated") {
        this.counters.activations++;
        const info = this.recent.get(id);
        if (info) info.activated = true;
      }
    });
    for (const a of result.activatedEvidence) {
      const model = this.models.get(a.experimentId);
      const arm = model?.armIndex.get(a.armId);
      if (model && arm !== undefined) model.addEvidence(a.segment, arm, a.evidence, a.value);
      if (model?.record.context === "linear") this.linear.schedule(a.experimentId);
    }
  }

  // ---- background work ---------------------------------------------------------------

  /** Pulls other instances' writes: experiments and posterior rows changed since the last refresh. */
  async refresh(): Promise<void> {
    await this.committer.exclusive(async () => {
      const started = this.now();
      const since = this.lastRefresh - REFRESH_OVERLAP_MS;
      for (const record of await this.deps.stores.experimentStore.changedSince(since)) {
        const model = this.models.get(record.id);
        if (model) model.setRecord(record);
        else await this.loadModel(record);
      }
      for (const row of await this.deps.stores.eventStore.posteriorsChangedSince(since)) {
        this.models.get(row.experimentId)?.applyRow(row);
      }
      this.lastRefresh = started;
      await this.rebaseDecay(started);
    });
    // outside the commit chain: log reads must not hold up group commits
    await this.linear.refresh();
  }

  /** Forward decay stores evidence × 2^((t − landmark)/halfLife); move the landmark before it overflows. */
  private async rebaseDecay(now: number): Promise<void> {
    for (const model of this.models.values()) {
      const h = model.record.decayHalfLife;
      if (h === null || (now - model.record.decayLandmark) / (h * 1000) < MAX_DECAY_EXPONENT) continue;
      const factor = model.decayFactor(now);
      await this.deps.stores.eventStore.rescaleEvidence(model.record.id, factor, { decayLandmark: now, now });
      model.scaleEvidence(factor);
      model.setRecord({ ...model.record, decayLandmark: now, updatedAt: now });
    }
  }

  /** Applies the default reward to decisions whose reward wait has passed. */
  async applyDueDefaultRewards(): Promise<number> {
    const now = this.now();
    const due = await this.deps.stores.eventStore.dueForDefaultReward(now, 1000);
    const pending: Promise<RewardOutcome>[] = [];
    for (const d of due) {
      const model = this.models.get(d.experimentId) ?? (await this.model(d.experimentId));
      const record = model.record;
      if (record.defaultReward === null) continue;
      pending.push(
        this.committer.addReward({
          eventId: d.eventId,
          experimentId: d.experimentId,
          segment: d.segment,
          armId: d.armId,
          group: d.group,
          value: record.defaultReward,
          isDefault: true,
          createdAt: now,
          aggregation: record.rewardAggregation,
          evidence: evidenceOf(record.reward, record.prior, record.defaultReward, model.evidenceScale(now)),
        }),
      );
    }
    const outcomes = await Promise.all(pending);
    return outcomes.filter((o) => o === "applied" || o === "stored").length;
  }

  async stats(experimentId: string): Promise<ExperimentStats> {
    const model = await this.model(experimentId);
    const groups = await this.deps.stores.eventStore.groupStats(model.record.id);
    const stats = experimentStats(model, groups, createRng(this.seeder.nextU32()), this.now());
    if (model.record.context === "linear")
      stats.linear = linearStats(await this.linear.learner(model.record), model.record.learningMode);
    return stats;
  }

  // ---- linear models -----------------------------------------------------------------

  async exportModel(experimentId: string): Promise<LinearModelExport> {
    const learner = await this.linear.learner(await this.linearRecord(experimentId));
    return {
      experimentId: learner.experimentId,
      model: learner.model.toJSON(),
      learnedRewards: learner.model.count,
      createdAt: learner.createdAt,
      updatedAt: learner.updatedAt,
    };
  }

  async resetModel(experimentId: string): Promise<void> {
    const learner = await this.linear.learner(await this.linearRecord(experimentId));
    await learner.reset();
  }

  async saveModel(experimentId: string): Promise<void> {
    const learner = await this.linear.learner(await this.linearRecord(experimentId));
    await learner.save();
  }

  private async linearRecord(experimentId: string): Promise<ExperimentRecord> {
    const record = (await this.model(experimentId)).record;
    if (record.context !== "linear") {
      throw new BanditryError("BANDITRY_NOT_LINEAR", `experiment ${JSON.stringify(record.id)} is not linear`, {
        field: "experimentId",
      });
    }
    return record;
  }
}

/** A batch item's answer for an error: a BanditryError is the item's own; anything else fails the request. */
function rewardItemError(eventId: string, e: unknown): RewardItemResult {
  if (!isBanditryError(e)) throw e;
  // known in memory as rewarded: the same answer the store gives a repeated reward
  if (e.code === "BANDITRY_REWARD_EXISTS") return { eventId, status: "duplicate" };
  return { eventId, status: "invalid", error: e.toJSON() };
}

function publicExperiment(r: ExperimentRecord): Experiment {
  const { decayLandmark: _landmark, ...experiment } = r;
  return experiment;
}

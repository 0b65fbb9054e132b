import { randomUUID } from "node:crypto";
import { BanditryError } from "../../../domain/errors.js";
import type { DecisionService } from "../../../engine/decision-service.js";
import type { AdsPlanRecord, AdsProfileRecord, AdsScheduleRecord, AdsStore } from "../../../stores/stores.js";
import type { AdsClients } from "./ads-clients.js";
import { dateIn } from "./ads-dates.js";
import type { AdsDeps } from "./ads-deps.js";
import type { BidOptimizer } from "./bid-optimizer.js";
import { createPlan } from "./create-plan.js";
import { executePlan } from "./execute-plan.js";
import { type KeywordBandit, keywordBandit } from "./keyword-bandit.js";
import { readOptimizeRequest } from "./optimize-settings.js";
import { type PlanView, planView } from "./plan-view.js";
import { CADENCE_MS, readScheduleFields, readScheduleInput } from "./schedule-input.js";
import { type SyncResult, syncProfile } from "./sync-profile.js";

export interface AdsServiceOptions {
  store: AdsStore;
  decisions: DecisionService;
  decisionLog: AdsDeps["decisionLog"];
  clients: AdsClients;
  optimizer: BidOptimizer;
  now?: () => number;
  today?: (profile: AdsProfileRecord) => string;
  reportDays?: number;
  historyDays?: number;
  chunkSize?: number;
  afterPush?: AdsDeps["afterPush"];
}

/**
 * The Sponsored Products bid optimizer as the HTTP API, the CLI and the scheduler use it:
 * sync, optimize (plans), approve (execution), rewards, keyword bandits, schedules. Each step
 * lives in its own module; this class validates input and passes the shared dependencies.
 */
export class AdsService {
  readonly deps: AdsDeps;

  constructor(options: AdsServiceOptions) {
    const now = options.now ?? Date.now;
    this.deps = {
      store: options.store,
      decisions: options.decisions,
      decisionLog: options.decisionLog,
      clients: options.clients,
      optimizer: options.optimizer,
      now,
      today: options.today ?? ((p) => dateIn(p.timezone, now())),
      reportDays: options.reportDays ?? 30,
      historyDays: options.historyDays ?? 90,
      chunkSize: options.chunkSize ?? 1000,
      ...(options.afterPush === undefined ? {} : { afterPush: options.afterPush }),
    };
    if (!(this.deps.reportDays >= 1 && this.deps.reportDays <= 31)) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", "reportDays must be in 1…31 (one report)", {
        field: "reportDays",
      });
    }
    if (!(Number.isInteger(this.deps.chunkSize) && this.deps.chunkSize >= 1 && this.deps.chunkSize <= 1000)) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", "chunkSize must be an integer in 1…1000", {
        field: "chunkSize",
      });
    }
  }

  listProfiles(): Promise<AdsProfileRecord[]> {
    return this.deps.store.listProfiles();
  }

  sync(profileId: string): Promise<SyncResult> {
    return syncProfile(this.deps, profileId);
  }

  /** body: strategy, targetAcos, the optimizer's settings, dryRun, autoExecute, minConfidence. */
  optimize(profileId: string, body: Record<string, unknown> = {}, scheduleId?: string): Promise<PlanView> {
    const request = readOptimizeRequest(body);
    return createPlan(this.deps, profileId, scheduleId === undefined ? request : { ...request, scheduleId });
  }

  approve(planId: string): Promise<PlanView> {
    return executePlan(this.deps, planId);
  }

  async getPlan(planId: string): Promise<PlanView> {
    const plan = await this.deps.store.getPlan(planId);
    if (plan === undefined) {
      throw new BanditryError("BANDITRY_NOT_FOUND", `no plan ${JSON.stringify(planId)}`, { field: "id" });
    }
    return planView(plan, await this.deps.store.planItems(planId));
  }

  listPlans(options: { profileId?: string; limit?: number } = {}): Promise<AdsPlanRecord[]> {
    return this.deps.store.listPlans(options);
  }

  keywordBandit(keywordId: string): Promise<KeywordBandit> {
    return keywordBandit(this.deps, keywordId);
  }

  listSchedules(profileId?: string): Promise<AdsScheduleRecord[]> {
    return this.deps.store.listSchedules(profileId === undefined ? {} : { profileId });
  }

  async getSchedule(id: string): Promise<AdsScheduleRecord> {
    const s = await this.deps.store.getSchedule(id);
    if (s === undefined) throw scheduleNotFound(id);
    return s;
  }

  /** The first run is due at once (the scheduler's next tick). */
  async createSchedule(body: Record<string, unknown>): Promise<AdsScheduleRecord> {
    const input = readScheduleInput(body);
    const now = this.deps.now();
    const schedule: AdsScheduleRecord = {
      id: `sch_${randomUUID().replaceAll("-", "").slice(0, 16)}`,
      ...input,
      nextRunAt: now,
      lastRunAt: null,
      lastPlanId: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.createSchedule(schedule);
    return schedule;
  }

  /** A new cadence counts from the last run (or now). */
  async updateSchedule(id: string, body: Record<string, unknown>): Promise<AdsScheduleRecord> {
    const patch = readScheduleFields(body);
    const current = await this.getSchedule(id);
    if (patch.cadence !== undefined && patch.cadence !== current.cadence) {
      patch.nextRunAt = (current.lastRunAt ?? this.deps.now()) + CADENCE_MS[patch.cadence];
    }
    const updated = await this.deps.store.updateSchedule(id, patch, this.deps.now());
    if (updated === undefined) throw scheduleNotFound(id);
    return updated;
  }

  async deleteSchedule(id: string): Promise<void> {
    if (!(await this.deps.store.deleteSchedule(id))) throw scheduleNotFound(id);
  }
}

function scheduleNotFound(id: string): BanditryError {
  return new BanditryError("BANDITRY_NOT_FOUND", `no schedule ${JSON.stringify(id)}`, { field: "id" });
}

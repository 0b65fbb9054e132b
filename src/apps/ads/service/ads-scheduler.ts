import { randomUUID } from "node:crypto";
import type { AdsScheduleRecord } from "../../../stores/stores.js";
import type { AdsService } from "./ads-service.js";
import { CADENCE_MS } from "./schedule-input.js";

export interface AdsSchedulerOptions {
  service: AdsService;
  /** Identifies this instance in the lease (default: a random id). */
  instanceId?: string;
  /** How long leadership lasts without renewal (default 60 s); another instance takes over after. */
  leaseMs?: number;
  /** How often start() ticks (default 15 s). */
  intervalMs?: number;
  onError?: (error: unknown, schedule: AdsScheduleRecord | undefined) => void;
}

export interface TickResult {
  leader: boolean;
  /** Schedules this tick ran, with the plan each made (or the error). */
  runs: { scheduleId: string; planId: string | null; error: string | null }[];
}

export const SCHEDULER_LEASE = "ads-scheduler";

/**
 * Runs due schedules: sync → optimize (→ execute with autoExecute). Of several instances on one
 * database, only the holder of the lease row runs schedules; it renews the lease every tick and
 * another instance takes over once it expires (a lease row works on SQLite and PostgreSQL alike).
 * Each run is also claimed by moving the schedule's nextRunAt (compare-and-set), so a run is
 * never made twice even across a change of leader.
 */
export class AdsScheduler {
  readonly instanceId: string;
  private readonly leaseMs: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<TickResult> | undefined;

  constructor(private readonly options: AdsSchedulerOptions) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.leaseMs = options.leaseMs ?? 60_000;
    this.intervalMs = options.intervalMs ?? 15_000;
  }

  /** One pass; concurrent calls share the pass in progress. */
  tick(): Promise<TickResult> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.tick().catch((e: unknown) => this.options.onError?.(e, undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops ticking, waits for a pass in progress and gives up leadership. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    await this.options.service.deps.store.releaseLease(SCHEDULER_LEASE, this.instanceId);
  }

  private async pass(): Promise<TickResult> {
    const { deps } = this.options.service;
    const leader = await deps.store.acquireLease(SCHEDULER_LEASE, this.instanceId, deps.now(), this.leaseMs);
    const result: TickResult = { leader, runs: [] };
    if (!leader) return result;
    for (const schedule of await deps.store.listSchedules()) {
      const now = deps.now();
      if (!schedule.enabled || schedule.nextRunAt > now) continue;
      if (!(await deps.store.claimScheduleRun(schedule.id, schedule.nextRunAt, nextRun(schedule, now)))) continue;
      result.runs.push(await this.runOne(schedule));
      // renew between runs: a long pass must not lose the lease to a second leader
      if (!(await deps.store.acquireLease(SCHEDULER_LEASE, this.instanceId, deps.now(), this.leaseMs))) break;
    }
    return result;
  }

  private async runOne(s: AdsScheduleRecord): Promise<TickResult["runs"][number]> {
    const service = this.options.service;
    try {
      await service.sync(s.profileId);
      const plan = await service.optimize(
        s.profileId,
        { strategy: s.strategy, targetAcos: s.targetAcos, autoExecute: s.autoExecute, minConfidence: s.minConfidence },
        s.id,
      );
      await service.deps.store.updateSchedule(
        s.id,
        { lastRunAt: service.deps.now(), lastPlanId: plan.id, lastError: null },
        service.deps.now(),
      );
      return { scheduleId: s.id, planId: plan.id, error: null };
    } catch (error) {
      this.options.onError?.(error, s);
      const message = error instanceof Error ? error.message : String(error);
      await service.deps.store.updateSchedule(
        s.id,
        { lastRunAt: service.deps.now(), lastError: message },
        service.deps.now(),
      );
      return { scheduleId: s.id, planId: null, error: message };
    }
  }
}

/** The first due time after now on the schedule's grid (missed runs are not made up). */
function nextRun(s: AdsScheduleRecord, now: number): number {
  const step = CADENCE_MS[s.cadence];
  let next = s.nextRunAt + step;
  if (next <= now) next += Math.ceil((now - next + 1) / step) * step;
  return next;
}

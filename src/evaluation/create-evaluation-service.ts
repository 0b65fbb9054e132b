import { randomUUID } from "node:crypto";
import { BanditryError, isBanditryError } from "../domain/errors.js";
import type { Stores } from "../stores/stores.js";
import { evaluateCandidates } from "./evaluate-candidates.js";
import type { EvaluationRecord, EvaluationService } from "./evaluation-types.js";
import { loadLoggedRecords } from "./load-logged-records.js";
import { resolveCandidate } from "./resolve-candidate.js";
import type { ResolvedCandidate } from "./resolved-candidate.js";
import { validateEvaluationRequest } from "./validate-evaluation-request.js";

export interface EvaluationServiceDeps {
  stores: Pick<Stores, "experimentStore" | "eventStore" | "evaluationStore">;
  now?: () => number;
  /** Seed of requests that give none (default 1: a repeated evaluation gives the same figures). */
  seed?: number;
  /** How often a run saves its record (its heartbeat) and yields to the event loop, ms (default 1000). */
  heartbeatMs?: number;
  /**
   * A pending or running evaluation without a heartbeat for this long is taken for dead (its
   * process stopped) and marked failed, by whichever instance looks next: at start, and before
   * every get and list (default 30 s).
   */
  staleAfterMs?: number;
  /** Receives unexpected errors of background runs (the record is marked failed either way). */
  onBackgroundError?: (error: unknown, task: string) => void;
}

export const DEFAULT_STALE_AFTER_MS = 30_000;

const INTERRUPTED = {
  code: "BANDITRY_UNAVAILABLE",
  message: "the process running this evaluation stopped before it finished; create it again",
};
const SHUT_DOWN = {
  code: "BANDITRY_UNAVAILABLE",
  message: "the server shut down before this evaluation finished; create it again",
};

/** Thrown inside a run to stop it (deleted, or the service closing); never leaves the service. */
class Stop extends Error {}

/**
 * Offline evaluations: validated and stored as pending, run in the background (or to the end
 * with run()), their records kept in the evaluation store. A run loads the experiment's logged
 * decisions of [from, to), replays each candidate over them (evaluateCandidates) and stores
 * the estimates. Runs survive nothing: one whose process died is marked failed once its
 * heartbeat is staleAfterMs old (at the next start, or the next get/list of any instance), and
 * close() stops the runs in progress and marks them failed, so a shutdown never waits for one.
 */
export function createEvaluationService(deps: EvaluationServiceDeps): EvaluationService {
  const { experimentStore, eventStore, evaluationStore } = deps.stores;
  const now = deps.now ?? Date.now;
  const heartbeatMs = deps.heartbeatMs ?? 1000;
  const staleAfterMs = deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const running = new Set<Promise<EvaluationRecord>>();
  let closing = false;

  const sweep = () => evaluationStore.failStale(now() - staleAfterMs, INTERRUPTED, now());
  let started: Promise<unknown> | undefined = sweep().catch((e: unknown) =>
    deps.onBackgroundError?.(e, "evaluation sweep"),
  );

  async function prepare(request: unknown): Promise<{ record: EvaluationRecord; candidates: ResolvedCandidate[] }> {
    if (closing) throw new BanditryError("BANDITRY_UNAVAILABLE", "the evaluation service is shutting down");
    const req = validateEvaluationRequest(request, now(), deps.seed ?? 1);
    const experiment = await experimentStore.get(req.experimentId);
    if (experiment === undefined) {
      throw new BanditryError("BANDITRY_EXPERIMENT_NOT_FOUND", `no experiment ${JSON.stringify(req.experimentId)}`, {
        field: "experimentId",
      });
    }
    const candidates = req.policies.map((p, i) => resolveCandidate(p, experiment, `policies[${i}]`));
    const record: EvaluationRecord = {
      id: randomUUID(),
      experimentId: req.experimentId,
      name: req.name,
      status: "pending",
      from: req.from,
      to: req.to,
      policies: req.policies,
      seed: req.seed,
      loggedAverageReward: null,
      loggedAverage: null,
      decisions: null,
      results: null,
      error: null,
      createdAt: now(),
      finishedAt: null,
    };
    await evaluationStore.create(record, now());
    return { record, candidates };
  }

  async function execute(pending: EvaluationRecord, candidates: ResolvedCandidate[]): Promise<EvaluationRecord> {
    let record: EvaluationRecord = { ...pending, status: "running" };
    const save = async (r: EvaluationRecord) => {
      if (!(await evaluationStore.save(r, now()))) throw new Stop("deleted");
    };
    try {
      await save(record);
      const experiment = await experimentStore.get(record.experimentId);
      if (experiment === undefined) {
        throw new BanditryError(
          "BANDITRY_EXPERIMENT_NOT_FOUND",
          `no experiment ${JSON.stringify(record.experimentId)}`,
          {
            field: "experimentId",
          },
        );
      }
      const records = await loadLoggedRecords(eventStore, experiment, record.from, record.to);
      let lastBeat = performance.now();
      const outcome = await evaluateCandidates(experiment, records, candidates, {
        seed: record.seed ?? 1,
        checkpoint: async () => {
          await new Promise((resolve) => setImmediate(resolve)); // let requests through
          if (closing) throw new Stop("closing");
          if (performance.now() - lastBeat >= heartbeatMs) {
            lastBeat = performance.now();
            await save(record);
          }
        },
      });
      record = { ...record, ...outcome, status: "succeeded", finishedAt: now() };
    } catch (e) {
      if (e instanceof Stop && e.message === "deleted") return record;
      let error: { code: string; message: string };
      if (e instanceof Stop) error = SHUT_DOWN;
      else if (isBanditryError(e)) error = { code: e.code, message: e.message };
      else {
        deps.onBackgroundError?.(e, `evaluation ${record.id}`);
        error = {
          code: "BANDITRY_INTERNAL",
          message: "the evaluation failed on an internal error (see the server log)",
        };
      }
      record = { ...record, status: "failed", error, finishedAt: now() };
    }
    // false: deleted meanwhile, nothing to keep
    await evaluationStore.save(record, now()).catch((e: unknown) => deps.onBackgroundError?.(e, "evaluation save"));
    return record;
  }

  function track(p: Promise<EvaluationRecord>): Promise<EvaluationRecord> {
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => undefined);
    return p;
  }

  async function swept(): Promise<void> {
    await started;
    started = undefined;
    await sweep();
  }

  return {
    async create(request) {
      const { record, candidates } = await prepare(request);
      track(execute(record, candidates)).catch((e: unknown) => deps.onBackgroundError?.(e, `evaluation ${record.id}`));
      return record;
    },
    async run(request) {
      const { record, candidates } = await prepare(request);
      return track(execute(record, candidates));
    },
    async get(id) {
      await swept();
      const record = await evaluationStore.get(id);
      if (record === undefined) {
        throw new BanditryError("BANDITRY_EVALUATION_NOT_FOUND", `no evaluation ${JSON.stringify(id)}`, {
          field: "evaluationId",
        });
      }
      return record;
    },
    async list(experimentId) {
      await swept();
      return evaluationStore.list(experimentId === undefined ? {} : { experimentId });
    },
    async delete(id) {
      if (!(await evaluationStore.delete(id))) {
        throw new BanditryError("BANDITRY_EVALUATION_NOT_FOUND", `no evaluation ${JSON.stringify(id)}`, {
          field: "evaluationId",
        });
      }
    },
    async close() {
      closing = true;
      await started;
      await Promise.allSettled([...running]);
    },
  };
}

import { BanditryError, type ErrorCode, isBanditryError } from "../../domain/errors.js";
import type { AdsStore } from "../stores.js";

/**
 * Messages between the main thread's proxy and the worker that owns the SQLite connection.
 * Arrays, not objects: fewer keys to structured-clone per message on the hot path.
 */

/** The store methods the worker serves, as "<store>.<method>". */
export type WorkerMethod =
  | `experimentStore.${"create" | "get" | "list" | "changedSince" | "update" | "addArm" | "setArmState"}`
  | `eventStore.${
      | "commit"
      | "getDecisions"
      | "decisionRefs"
      | "dueForDefaultReward"
      | "loadPosteriors"
      | "posteriorsChangedSince"
      | "groupStats"
      | "rescaleEvidence"}`
  | `keyStore.${"create" | "findByHash" | "list" | "revoke" | "count"}`
  | `loopStore.${"logDateRange" | "deleteLogs" | "rewardBuckets" | "eventIdsWithPrefix"}`
  | `linearStore.${"learningLog" | "learningLogKeys" | "learningLogRows" | "loadSnapshot" | "snapshotCreatedAt" | "saveSnapshot"}`
  | `adsStore.${keyof AdsStore & string}`
  | `evaluationStore.${"create" | "get" | "list" | "save" | "delete" | "failStale"}`
  /** exportDecisions in pages: open → cursor id; next → [items, done]; close frees the cursor. */
  | "export.open"
  | "export.next"
  | "export.close"
  | "migrate"
  | "close";

/** [request id, method, arguments] */
export type WorkerRequest = [id: number, method: WorkerMethod, args: unknown[]];

/** [request id, true, value] or [request id, false, error] */
export type WorkerResponse = [id: number, ok: true, value: unknown] | [id: number, ok: false, error: WorkerError];

export interface WorkerError {
  name: string;
  message: string;
  stack?: string;
  /** BanditryError's code, or a driver's (e.g. SQLITE_BUSY). */
  code?: string;
  field?: string;
  banditry: boolean;
}

export function toWorkerError(e: unknown): WorkerError {
  if (isBanditryError(e)) {
    return { name: e.name, message: e.message, code: e.code, field: e.field, banditry: true, stack: e.stack };
  }
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return {
      name: e.name,
      message: e.message,
      stack: e.stack,
      code: typeof code === "string" ? code : undefined,
      banditry: false,
    };
  }
  return { name: "Error", message: String(e), banditry: false };
}

/** The error as the caller would have seen it in-thread: a BanditryError with its code and field stays one. */
export function fromWorkerError(w: WorkerError): Error {
  if (w.banditry) {
    return new BanditryError(w.code as ErrorCode, w.message, w.field === undefined ? {} : { field: w.field });
  }
  const error = new Error(w.message) as Error & { code?: string };
  error.name = w.name;
  if (w.code !== undefined) error.code = w.code;
  if (w.stack !== undefined) error.stack = `${w.stack}\n    --- in the SQLite worker thread ---`;
  return error;
}

/** What the worker is started with. */
export interface SqliteWorkerData {
  dataDir: string;
  synchronous?: "NORMAL" | "FULL";
  backgroundCheckpoints?: boolean;
}

/** Every AdsStore method, forwarded as is (the Record makes the compiler flag a missing one). */
const ADS_METHODS: Record<keyof AdsStore, true> = {
  upsertProfile: true,
  getProfile: true,
  listProfiles: true,
  setProfileSynced: true,
  upsertKeywords: true,
  listKeywords: true,
  getKeyword: true,
  upsertKeywordDays: true,
  keywordDays: true,
  createPlan: true,
  getPlan: true,
  listPlans: true,
  setPlanStatus: true,
  planItems: true,
  setItemOutcomes: true,
  recordExecuted: true,
  markActivated: true,
  listChanges: true,
  markRewarded: true,
  keywordItems: true,
  createSchedule: true,
  getSchedule: true,
  listSchedules: true,
  updateSchedule: true,
  claimScheduleRun: true,
  deleteSchedule: true,
  acquireLease: true,
  releaseLease: true,
};
export const ADS_STORE_METHODS = Object.keys(ADS_METHODS) as (keyof AdsStore & string)[];

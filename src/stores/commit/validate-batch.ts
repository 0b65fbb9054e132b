import { BanditryError } from "../../domain/errors.js";
import type { CommitBatch } from "../stores.js";

/**
 * Last line of defence before the transaction. The engine validates each request, but a value
 * the columns cannot hold would otherwise surface as an SQL error in the middle of a group
 * commit: NaN (NULL in JSON), a fractional time (not a bigint), a NUL character or a lone
 * surrogate in an id (PostgreSQL text refuses both).
 */
export function validateBatch(batch: CommitBatch): void {
  requireInteger("now", batch.now);
  for (const d of batch.decisions) {
    requireText("eventId", d.eventId);
    requireText(`decision ${d.eventId} experimentId`, d.experimentId);
    requireText(`decision ${d.eventId} segment`, d.segment);
    requireText(`decision ${d.eventId} armId`, d.armId);
    if (d.unitId !== null) requireText(`decision ${d.eventId} unitId`, d.unitId);
    requireInteger(`decision ${d.eventId} createdAt`, d.createdAt);
    requireInteger(`decision ${d.eventId} seed`, d.seed);
    if (d.propensity !== null) requireFinite(`decision ${d.eventId} propensity`, d.propensity);
    const wait = batch.rewardWaitMs[d.experimentId];
    if (wait !== undefined) requireInteger(`decision ${d.eventId} default due time`, Math.ceil(d.createdAt + wait));
  }
  for (const r of batch.rewards) {
    requireText("eventId", r.eventId);
    requireInteger(`reward for ${r.eventId} createdAt`, r.createdAt);
    requireFinite(`reward for ${r.eventId} value`, r.value);
    requireFinite(`reward for ${r.eventId} evidence.n`, r.evidence.n);
    requireFinite(`reward for ${r.eventId} evidence.s1`, r.evidence.s1);
    requireFinite(`reward for ${r.eventId} evidence.s2`, r.evidence.s2);
  }
  for (const id of batch.activations) requireText("eventId", id);
}

// a high surrogate not followed by a low one, a low surrogate not preceded by a high one
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function requireText(field: string, value: string): void {
  if (value.includes("\u0000") || LONE_SURROGATE.test(value)) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `${field} ${JSON.stringify(value)} contains a NUL character or a lone surrogate`,
      { field },
    );
  }
}

function requireFinite(field: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be a finite number, got ${String(value)}`, {
      field,
    });
  }
}

function requireInteger(field: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be an integer (ms), got ${String(value)}`, {
      field,
    });
  }
}

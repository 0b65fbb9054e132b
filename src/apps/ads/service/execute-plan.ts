import { randomUUID } from "node:crypto";
import type { KeywordUpdateOutcome } from "../../../connectors/amazon-ads/sp-keyword-update.js";
import { BanditryError, isBanditryError } from "../../../domain/errors.js";
import type { AdsChangeRecord, AdsItemOutcome, AdsPlanItemRecord } from "../../../stores/stores.js";
import type { AdsDeps } from "./ads-deps.js";
import { findProfile } from "./find-profile.js";
import { type PlanView, planView } from "./plan-view.js";

/** Bids are in cents: a live bid within half a cent of the proposal already is the proposal. */
const SAME_BID = 0.005;
/** Long enough for a large plan's PUTs with retries; renewed per chunk. */
const LEASE_MS = 10 * 60_000;

/**
 * Executes a plan: PUT /sp/keywords in chunks, each item's 207 outcome recorded, the bandit
 * decisions of the applied changes activated. Idempotent: an executed plan is left alone; items
 * are marked "pushing" before their PUT and their outcome after it, and before pushing, the live
 * bids are read, so a keyword already at its proposed bid is never pushed again — after a crash
 * between push and mark, its "pushing" item is recognised as applied. One execution per plan at
 * a time (a lease), so two approvals racing do not both push.
 */
export async function executePlan(
  deps: AdsDeps,
  planId: string,
  options: { minConfidence?: number } = {},
): Promise<PlanView> {
  const plan = await deps.store.getPlan(planId);
  if (plan === undefined) {
    throw new BanditryError("BANDITRY_NOT_FOUND", `no plan ${JSON.stringify(planId)}`, { field: "id" });
  }
  if (plan.status === "executed") return view(deps, planId);
  const holder = randomUUID();
  const lease = `ads-plan:${planId}`;
  if (!(await deps.store.acquireLease(lease, holder, deps.now(), LEASE_MS))) {
    throw new BanditryError("BANDITRY_ADS_CONFLICT", `plan ${planId} is being executed right now`, { field: "id" });
  }
  try {
    if (
      !(await deps.store.setPlanStatus(planId, ["dryRun", "approved", "executing", "failed"], "executing", deps.now()))
    ) {
      return view(deps, planId); // executed in the meantime
    }
    try {
      await run(deps, planId, plan.profileId, plan.today, options.minConfidence, holder, lease);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await deps.store.setPlanStatus(planId, ["executing"], "failed", deps.now(), message);
      throw error;
    }
    await deps.store.setPlanStatus(planId, ["executing"], "executed", deps.now());
    return view(deps, planId);
  } finally {
    await deps.store.releaseLease(lease, holder);
  }
}

async function run(
  deps: AdsDeps,
  planId: string,
  profileId: string,
  today: string,
  minConfidence: number | undefined,
  holder: string,
  lease: string,
): Promise<void> {
  const profile = await findProfile(deps, profileId, false);
  const client = deps.clients.forProfile(profile);
  const items = await deps.store.planItems(planId);
  const open = items.filter((i) => i.action === "change" && (i.execution === "pending" || i.execution === "pushing"));

  const skipped: AdsItemOutcome[] = [];
  let candidates = open;
  if (minConfidence !== undefined) {
    candidates = open.filter((i) => i.confidence >= minConfidence || i.execution === "pushing");
    for (const i of open) {
      if (!candidates.includes(i)) {
        skipped.push({
          keywordId: i.keywordId,
          execution: "skipped",
          errorCode: null,
          errorMessage: `confidence ${i.confidence.toFixed(2)} below minConfidence ${minConfidence}`,
        });
      }
    }
    await deps.store.setItemOutcomes(planId, skipped, deps.now());
  }

  if (candidates.length > 0) {
    const live = await liveBids(deps, profileId, candidates);
    const alreadyApplied: AdsPlanItemRecord[] = [];
    const unchanged: AdsItemOutcome[] = [];
    const toPush: AdsPlanItemRecord[] = [];
    for (const i of candidates) {
      const bid = live.get(i.keywordId);
      if (bid !== undefined && Math.abs(bid - i.proposedBid) < SAME_BID) {
        if (i.execution === "pushing") alreadyApplied.push(i);
        else unchanged.push({ keywordId: i.keywordId, execution: "unchanged", errorCode: null, errorMessage: null });
      } else {
        toPush.push(i);
      }
    }
    await deps.store.setItemOutcomes(planId, unchanged, deps.now());
    await recordApplied(deps, planId, today, alreadyApplied);

    for (let start = 0; start < toPush.length; start += deps.chunkSize) {
      const chunk = toPush.slice(start, start + deps.chunkSize);
      const ids = chunk.map((i) => i.keywordId);
      await deps.store.acquireLease(lease, holder, deps.now(), LEASE_MS);
      await deps.store.setItemOutcomes(
        planId,
        chunk.map((i) => ({ keywordId: i.keywordId, execution: "pushing", errorCode: null, errorMessage: null })),
        deps.now(),
      );
      const result = await client.updateKeywords(
        profileId,
        chunk.map((i) => ({ keywordId: i.keywordId, bid: i.proposedBid })),
      );
      await deps.afterPush?.(planId, ids);
      const byId = new Map(chunk.map((i) => [i.keywordId, i]));
      await recordApplied(
        deps,
        planId,
        today,
        result.succeeded.map((o) => byId.get(o.keywordId)!),
      );
      await deps.store.setItemOutcomes(planId, result.failed.map(failedOutcome), deps.now());
    }
  }
  await activateApplied(deps, planId);
}

/** The live bids of the plan's keywords (a keyword without its own bid bids its ad group's default). */
async function liveBids(deps: AdsDeps, profileId: string, items: AdsPlanItemRecord[]): Promise<Map<string, number>> {
  const profile = await findProfile(deps, profileId, false);
  const client = deps.clients.forProfile(profile);
  const wanted = new Set(items.map((i) => i.keywordId));
  const bids = new Map<string, number>();
  for await (const k of client.iterateKeywords(profileId)) {
    if (wanted.has(k.keywordId) && typeof k.bid === "number") bids.set(k.keywordId, k.bid);
  }
  return bids;
}

async function recordApplied(deps: AdsDeps, planId: string, today: string, items: AdsPlanItemRecord[]): Promise<void> {
  if (items.length === 0) return;
  const now = deps.now();
  const changes: AdsChangeRecord[] = items.map((i) => ({
    profileId: i.profileId,
    planId,
    keywordId: i.keywordId,
    date: today,
    fromBid: i.currentBid,
    toBid: i.proposedBid,
    eventId: i.eventId,
    executedAt: now,
    rewardedAt: null,
  }));
  await deps.store.recordExecuted(planId, changes, now);
  // the synced copy follows the API, so the next plan starts from the bid in effect
  const updates = [];
  for (const i of items) {
    const k = await deps.store.getKeyword(i.keywordId);
    if (k !== undefined) updates.push({ ...k, bid: i.proposedBid });
  }
  await deps.store.upsertKeywords(updates);
}

/**
 * Activates the decisions of applied changes not activated yet (also those a crash left
 * behind): from now on their rewards count for learning.
 */
async function activateApplied(deps: AdsDeps, planId: string): Promise<void> {
  const pending = (await deps.store.planItems(planId)).filter(
    (i) => i.execution === "succeeded" && i.eventId !== null && i.activatedAt === null,
  );
  const activated: string[] = [];
  for (const i of pending) {
    try {
      await deps.decisions.activate(i.eventId!);
      activated.push(i.keywordId);
    } catch (error) {
      // a plan item without a logged decision (e.g. a plan built by hand) has nothing to activate
      if (!(isBanditryError(error) && error.code === "BANDITRY_EVENT_NOT_FOUND")) throw error;
    }
  }
  await deps.store.markActivated(planId, activated, deps.now());
}

function failedOutcome(o: KeywordUpdateOutcome): AdsItemOutcome {
  if (o.requestError !== undefined) {
    return {
      keywordId: o.keywordId,
      execution: "failed",
      errorCode: o.requestError.code,
      errorMessage: o.requestError.message,
    };
  }
  const first = o.errors[0];
  const detail = first === undefined ? undefined : first.errorValue[first.errorType];
  return {
    keywordId: o.keywordId,
    execution: "failed",
    errorCode: detail?.reason ?? first?.errorType ?? "OTHER_ERROR",
    errorMessage: detail?.message ?? null,
  };
}

async function view(deps: AdsDeps, planId: string): Promise<PlanView> {
  return planView((await deps.store.getPlan(planId))!, await deps.store.planItems(planId));
}

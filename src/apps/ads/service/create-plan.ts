import { randomUUID } from "node:crypto";
import { BanditryError } from "../../../domain/errors.js";
import { NOT_EXECUTED } from "../../../stores/not-executed.js";
import type { AdsPlanItemRecord } from "../../../stores/stores.js";
import type { KeywordInfo, PlanItem } from "../optimizer/optimizer-types.js";
import { addDays } from "./ads-dates.js";
import type { AdsDeps } from "./ads-deps.js";
import { executePlan } from "./execute-plan.js";
import { findProfile } from "./find-profile.js";
import type { OptimizeRequest } from "./optimize-settings.js";
import { type PlanView, planView } from "./plan-view.js";

/**
 * One optimization run: the optimizer's plan from the synced keywords, their history and the
 * executed changes, stored as a dry run; executed at once when dryRun is false, or, with
 * autoExecute, for the items whose confidence reaches minConfidence.
 */
export async function createPlan(deps: AdsDeps, profileId: string, request: OptimizeRequest): Promise<PlanView> {
  const profile = await findProfile(deps, profileId, false);
  const synced = await deps.store.listKeywords(profileId);
  if (profile.syncedAt === null || synced.length === 0) {
    throw new BanditryError("BANDITRY_ADS_CONFLICT", `profile ${profileId} has no synced keywords: sync it first`, {
      field: "profileId",
    });
  }
  const today = deps.today(profile);
  const planId = `plan_${today.replaceAll("-", "")}_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const keywords: KeywordInfo[] = synced
    .filter((k) => k.state === "ENABLED")
    .map(({ profileId: _p, syncedAt: _s, ...k }) => k);
  const history = (await deps.store.keywordDays(profileId, { from: addDays(today, -deps.historyDays) })).map(
    ({ profileId: _p, ...day }) => day,
  );
  const changes = (await deps.store.listChanges(profileId)).map((c) => ({
    keywordId: c.keywordId,
    date: c.date,
    fromBid: c.fromBid,
    toBid: c.toBid,
    eventId: c.eventId,
  }));
  const items = await deps.optimizer.optimize({
    profileId,
    countryCode: profile.countryCode,
    today,
    keywords,
    history,
    changes,
    settings: request.settings,
    planId,
  });

  const now = deps.now();
  const settings: Record<string, unknown> = {
    ...request.settings,
    dryRun: request.dryRun,
    autoExecute: request.autoExecute,
    minConfidence: request.minConfidence,
    ...(request.scheduleId === undefined ? {} : { scheduleId: request.scheduleId }),
  };
  await deps.store.createPlan(
    { id: planId, profileId, today, status: "dryRun", settings, createdAt: now, updatedAt: now, error: null },
    items.map((i) => itemRecord(planId, profileId, i)),
  );
  if (!request.dryRun) return executePlan(deps, planId);
  if (request.autoExecute) return executePlan(deps, planId, { minConfidence: request.minConfidence });
  return planView((await deps.store.getPlan(planId))!, await deps.store.planItems(planId));
}

function itemRecord(planId: string, profileId: string, i: PlanItem): AdsPlanItemRecord {
  return { planId, profileId, ...i, execution: i.action === "change" ? "pending" : "skipped", ...NOT_EXECUTED };
}

import type { AdsChangeRecord, AdsProfileRecord } from "../../../stores/stores.js";
import type { ExecutedChange, OptimizerSettings } from "../optimizer/optimizer-types.js";
import { addDays } from "./ads-dates.js";
import type { AdsDeps } from "./ads-deps.js";

export interface RewardSummary {
  /** Changes still waiting for their data to settle. */
  waiting: number;
  /** Rewards sent, and what the decision service made of them. */
  sent: number;
  applied: number;
  duplicate: number;
  refused: number;
}

/**
 * Rewards of executed changes whose data has settled: the optimizer's settle judges them (per
 * plan, with that plan's settings), the decision service takes them (a repeat is refused as a
 * duplicate, which is fine: it was counted before), and the changes are marked rewarded.
 */
export async function sendSettledRewards(
  deps: AdsDeps,
  profile: AdsProfileRecord,
  today: string,
): Promise<RewardSummary> {
  const open = (await deps.store.listChanges(profile.profileId)).filter(
    (c) => c.eventId !== null && c.rewardedAt === null,
  );
  const summary: RewardSummary = { waiting: open.length, sent: 0, applied: 0, duplicate: 0, refused: 0 };
  if (open.length === 0) return summary;
  const earliest = open.map((c) => c.date).sort()[0]!;
  const history = (await deps.store.keywordDays(profile.profileId, { from: addDays(earliest, -deps.historyDays) })).map(
    ({ profileId: _p, ...day }) => day,
  );
  const byPlan = new Map<string, AdsChangeRecord[]>();
  for (const c of open) byPlan.set(c.planId, [...(byPlan.get(c.planId) ?? []), c]);

  // settle sees every change (a keyword's next change ends the window of the one before)
  const all = (await deps.store.listChanges(profile.profileId)).map(toExecutedChange);
  const done: { eventId: string; value: number }[] = [];
  for (const [planId, changes] of byPlan) {
    const plan = await deps.store.getPlan(planId);
    if (plan === undefined) continue;
    const wanted = new Set(changes.map((c) => c.eventId));
    const settled = (
      await deps.optimizer.settle({
        today,
        history,
        changes: all,
        settings: plan.settings as unknown as OptimizerSettings,
      })
    ).filter((r) => wanted.has(r.eventId));
    if (settled.length === 0) continue;
    const results = await deps.decisions.rewardBatch(settled.map((s) => ({ eventId: s.eventId, value: s.value })));
    summary.sent += settled.length;
    results.forEach((r, i) => {
      if (r.status === "applied" || r.status === "stored") summary.applied++;
      else if (r.status === "duplicate") summary.duplicate++;
      else summary.refused++;
      // a duplicate was counted the first time; unknown/invalid are kept for the next sync
      if (r.status === "applied" || r.status === "stored" || r.status === "duplicate") {
        done.push({ eventId: settled[i]!.eventId, value: settled[i]!.value });
      }
    });
  }
  await deps.store.markRewarded(done, deps.now());
  summary.waiting -= done.length;
  return summary;
}

function toExecutedChange(c: AdsChangeRecord): ExecutedChange {
  return { keywordId: c.keywordId, date: c.date, fromBid: c.fromBid, toBid: c.toBid, eventId: c.eventId };
}

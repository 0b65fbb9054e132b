import { BanditryError } from "../../../domain/errors.js";
import type { ArmStats } from "../../../engine/decision-service.js";
import type { AdsChangeRecord, AdsPlanItemRecord } from "../../../stores/stores.js";
import type { AdsDeps } from "./ads-deps.js";

export interface KeywordBandit {
  keywordId: string;
  profileId: string;
  keywordText: string;
  currentBid: number;
  /** Where the keyword's latest decision was made; null before its first decision. */
  experimentId: string | null;
  /** Its own id, or the ad group / campaign / profile pool a thin keyword decides in. */
  segment: string | null;
  /** The arms' posteriors in that segment. */
  arms: ArmStats[];
  /** Newest first. */
  lastChanges: AdsChangeRecord[];
  /** The keyword in its latest plans, newest first. */
  lastItems: AdsPlanItemRecord[];
}

/** What the bandit of a keyword has learned, its bid and its latest changes. */
export async function keywordBandit(deps: AdsDeps, keywordId: string, limit = 10): Promise<KeywordBandit> {
  const keyword = await deps.store.getKeyword(keywordId);
  if (keyword === undefined) {
    throw new BanditryError("BANDITRY_NOT_FOUND", `no synced keyword ${JSON.stringify(keywordId)}`, {
      field: "keywordId",
    });
  }
  const items = await deps.store.keywordItems(keywordId, limit);
  const eventId = items.find((i) => i.eventId !== null)?.eventId ?? null;
  const decision = eventId === null ? undefined : (await deps.decisionLog.getDecisions([eventId])).get(eventId);
  let arms: ArmStats[] = [];
  if (decision !== undefined) {
    const stats = await deps.decisions.stats(decision.experimentId);
    arms =
      stats.segments.find((s) => s.segment === decision.segment)?.arms ??
      stats.segments.find((s) => s.segment === "*")?.arms ??
      [];
  }
  const changes = await deps.store.listChanges(keyword.profileId, { keywordId });
  return {
    keywordId,
    profileId: keyword.profileId,
    keywordText: keyword.keywordText,
    currentBid: keyword.bid,
    experimentId: decision?.experimentId ?? null,
    segment: decision?.segment ?? null,
    arms,
    lastChanges: changes.slice(-limit).reverse(),
    lastItems: items,
  };
}

import type { DecideResult } from "../engine/decision-service.js";
import type { RankableAction } from "./rank-request.js";

export interface RankedAction {
  id: string;
  probability: number;
}

export interface InferenceExplanation {
  id: string;
  features: { name: string; score: number }[];
}

export interface RankResponse {
  ranking: RankedAction[];
  eventId: string;
  rewardActionId: string;
  inferenceExplanation?: InferenceExplanation[];
}

/**
 * The engine's decision as Personalizer's RankResponse: every offered action is listed (an
 * excluded one, or one the engine left out, with probability 0), in the engine's order.
 */
export function rankResponse(result: DecideResult, actions: readonly RankableAction[], eventId: string): RankResponse {
  const ranking: RankedAction[] = [];
  const listed = new Set<string>();
  for (const r of result.ranking ?? []) {
    if (listed.has(r.armId)) continue;
    listed.add(r.armId);
    ranking.push({ id: r.armId, probability: r.probability });
  }
  if (!listed.has(result.arm.id)) {
    listed.add(result.arm.id);
    ranking.unshift({ id: result.arm.id, probability: result.propensity ?? 1 });
  }
  for (const a of actions) {
    if (!listed.has(a.id)) ranking.push({ id: a.id, probability: 0 });
  }
  const response: RankResponse = { ranking, eventId, rewardActionId: result.arm.id };
  if (result.explanation !== undefined) {
    response.inferenceExplanation = result.explanation.map((e) => ({
      id: e.armId,
      features: e.features.map((f) => ({ name: f.name, score: f.score })),
    }));
  }
  return response;
}

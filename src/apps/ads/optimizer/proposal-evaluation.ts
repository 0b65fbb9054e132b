import { sampleBeta } from "../../../stats/distributions/beta.js";
import { sampleStandardNormal } from "../../../stats/distributions/normal.js";
import type { Rng } from "../../../stats/rng.js";
import { type KeywordResponse, predictDay, revenuePerClick } from "./keyword-response.js";
import { ACOS_PENALTY } from "./window-score.js";

export interface ProposalEvaluation {
  /** P(the proposed bid scores higher than the current one) under the model's posterior. */
  confidence: number;
  /** The reward (change-reward units) the model predicts for the change. */
  expectedReward: number;
}

const DRAWS = 400;

/**
 * Scores the current and the proposed bid with the window score (window-score.ts) per unit of
 * volume, for draws of revenue per click from its posterior (conversion rate from its beta,
 * order value log-normal), and counts how often the proposal wins. Volume cancels from the
 * comparison, and the landscape (fitted from many CPCs) is far surer than revenue per click,
 * whose uncertainty is the one that decides whether a change pays.
 */
export function evaluateProposal(
  r: KeywordResponse,
  current: number,
  proposed: number,
  target: number,
  margin: number,
  rng: Rng,
): ProposalEvaluation {
  const a = predictDay(r, current, 1);
  const b = predictDay(r, proposed, 1);
  const score = (p: typeof a, rpc: number) =>
    p.winShare * (rpc * margin - p.cpc - ACOS_PENALTY * Math.max(0, p.cpc - target * rpc));
  let wins = 0;
  for (let i = 0; i < DRAWS; i++) {
    const cvr = sampleBeta(rng, Math.max(r.cvrAlpha, 1e-3), Math.max(r.cvrBeta, 1e-3));
    const rpc = cvr * r.aov * Math.exp(r.aovLogSd * sampleStandardNormal(rng));
    const d = score(b, rpc) - score(a, rpc);
    if (d > 0 || (d === 0 && proposed === current)) wins++;
  }
  const rpc = revenuePerClick(r);
  const scale = (margin * rpc * (a.winShare + b.winShare) + a.winShare * a.cpc + b.winShare * b.cpc) / 2;
  const expectedReward = scale > 1e-12 ? (score(b, rpc) - score(a, rpc)) / scale : 0;
  return { confidence: wins / DRAWS, expectedReward };
}

import { createHash } from "node:crypto";
import { bidLimitsFor } from "../../../connectors/amazon-ads/marketplaces.js";
import { BanditryError } from "../../../domain/errors.js";
import type { Experiment } from "../../../domain/experiment.js";
import { readString } from "../../../domain/validate.js";
import { createRng } from "../../../stats/rng.js";
import { epochDay } from "../marketplace/calendar.js";
import { type BanditService, banditExperimentId, ensureBanditExperiment } from "./bandit-experiment.js";
import { applyBidGuardrails } from "./bid-guardrails.js";
import { BidTimeline } from "./bid-timeline.js";
import { type ArmChoice, type DecisionLog, decideOnce } from "./decide-once.js";
import { fitMarketResponse } from "./fit-market-response.js";
import { historiesByKeyword, KeywordHistory } from "./keyword-history.js";
import { revenuePerClick } from "./keyword-response.js";
import { modelBid } from "./model-bid.js";
import type { OptimizeInput, PlanItem, SettledReward } from "./optimizer-types.js";
import { poolingContext } from "./pooling-segment.js";
import { evaluateProposal } from "./proposal-evaluation.js";
import { resolveSettings } from "./resolve-settings.js";
import { SETTLE_LAG, settledBefore } from "./settle-lag.js";
import { type SettleInput, settleRewards } from "./settle-rewards.js";

export interface AdsOptimizerDeps {
  /** The decision service (the engine): the profile's bandit lives there. */
  decisions: BanditService;
  /** Logged decisions by event id (the event store), to reuse a decision on a plan's re-run. */
  decisionLog: DecisionLog;
}

/** Days of settled clicks and spend that the minimum-data guardrail and the pooling look at. */
export const EVIDENCE_DAYS = 30;
/** A keyword decides in its own bandit segment from this many × minClicks clicks on. */
export const OWN_SEGMENT_CLICK_FACTOR = 3;
/** Smallest bid change worth pushing. */
const MIN_STEP = 0.01;
/**
 * A keyword with too little data to judge is bid up one step at a time (discovery) while its bid
 * is under this × target ACoS × its revenue per click (pooled with its ad group): a bid under the
 * competition wins almost no auctions, so it would never gather the clicks to be optimized. A click
 * costs well under the bid in these auctions, so up to this ceiling the expected ACoS stays near
 * the target; above it, or once clicks come in, the keyword is held or optimized as usual.
 */
export const DISCOVERY_CEILING = 2;

/**
 * The Sponsored Products bid optimizer. optimize() turns report history and the executed
 * changes into a plan: per keyword either a hold (a guardrail's reason) or a proposal that
 * blends, in log space, the bandit's step (current bid × the multiplier arm it drew, a deferred
 * decision) with the market-response model's profit-maximizing bid under the ACoS target
 * (weight modelWeight), then passes the guardrails. settle() gives the rewards of executed
 * changes whose window has settled. Pure apart from the decision service calls.
 */
export class AdsOptimizer {
  constructor(private readonly deps: AdsOptimizerDeps) {}

  async optimize(input: OptimizeInput): Promise<PlanItem[]> {
    const s = resolveSettings(input.settings);
    const planId = readString(input.planId, "planId", { max: 512 });
    const profileId = readString(input.profileId, "profileId", { max: 64 });
    const limits = bidLimitsFor(input.countryCode);
    if (!limits) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", `countryCode ${input.countryCode} is not a marketplace`, {
        field: "countryCode",
      });
    }
    const today = epochDay(input.today, "today");
    const histories = historiesByKeyword(input.history);
    const bids = new BidTimeline(input.keywords, input.changes);
    const responses = fitMarketResponse({ keywords: input.keywords, histories, bids, today });
    const clicksTo = settledBefore(today, SETTLE_LAG.clicks);
    const evidence = new Map(
      input.keywords.map((k) => [
        k.keywordId,
        (histories.get(k.keywordId) ?? new KeywordHistory()).totals(today - EVIDENCE_DAYS, clicksTo),
      ]),
    );
    const pooled = new Map<string, number>();
    for (const k of input.keywords) {
      const c = evidence.get(k.keywordId)!.clicks;
      for (const key of [`ag:${k.adGroupId}`, `cp:${k.campaignId}`]) pooled.set(key, (pooled.get(key) ?? 0) + c);
    }
    const minBid = Math.max(limits.min, s.minBid ?? 0);
    const maxBid = Math.min(limits.max, s.maxBid ?? Number.POSITIVE_INFINITY);

    // guardrails that hold a keyword before the bandit is asked
    const holds = new Map<string, string>();
    const discoveries = new Map<string, { bid: number; reason: string }>();
    for (const k of input.keywords) {
      const last = bids.lastChange(k.keywordId);
      const e = evidence.get(k.keywordId)!;
      if (k.state.toUpperCase() !== "ENABLED") holds.set(k.keywordId, `hold: keyword is ${k.state.toLowerCase()}`);
      else if (last !== undefined && today - last < s.cooldownDays) {
        holds.set(
          k.keywordId,
          `hold: cooldown, bid changed ${today - last} day(s) ago (cooldown ${s.cooldownDays} days)`,
        );
      } else if (e.clicks < s.minClicks && e.cost < s.minSpend) {
        const ceiling = DISCOVERY_CEILING * s.effectiveTarget * revenuePerClick(responses.get(k.keywordId)!);
        const data =
          `too little data, ${e.clicks} clicks and ${e.cost.toFixed(2)} spend in ${EVIDENCE_DAYS} settled days ` +
          `(needs ${s.minClicks} clicks or ${s.minSpend.toFixed(2)} spend)`;
        const up = applyBidGuardrails(k.bid, Math.min(ceiling, k.bid * (1 + s.maxChange)), {
          maxChange: s.maxChange,
          userMin: s.minBid,
          userMax: s.maxBid,
          marketMin: limits.min,
          marketMax: limits.max,
        });
        if (!s.discoverThinKeywords) {
          holds.set(k.keywordId, `hold: ${data}`);
        } else if (up.bid >= k.bid + MIN_STEP - 1e-9) {
          discoveries.set(k.keywordId, {
            bid: up.bid,
            reason:
              `discover: ${data}; bid raised ${k.bid.toFixed(2)} → ${up.bid.toFixed(2)} to win more auctions ` +
              `(ceiling ${ceiling.toFixed(2)} = ${DISCOVERY_CEILING} × target ACoS × revenue/click pooled with the ad group)` +
              (up.bound.length > 0 ? `; bound by ${up.bound.join(", ")}` : ""),
          });
        } else {
          holds.set(k.keywordId, `hold: ${data}; at the discovery ceiling ${ceiling.toFixed(2)}`);
        }
      }
    }
    const active = input.keywords.filter((k) => !holds.has(k.keywordId) && !discoveries.has(k.keywordId));
    let experiment: Experiment | undefined;
    if (active.length > 0) {
      experiment = await ensureBanditExperiment(
        this.deps.decisions,
        banditExperimentId(profileId, s.strategy),
        s.multipliers,
      );
    }
    const threshold = OWN_SEGMENT_CLICK_FACTOR * Math.max(s.minClicks, 1);
    const choices = new Map<string, ArmChoice>();
    await Promise.all(
      active.map(async (k) => {
        const context = poolingContext(
          k,
          {
            keyword: evidence.get(k.keywordId)!.clicks,
            adGroup: pooled.get(`ag:${k.adGroupId}`) ?? 0,
            campaign: pooled.get(`cp:${k.campaignId}`) ?? 0,
          },
          threshold,
        );
        const choice = await decideOnce(
          this.deps.decisions,
          this.deps.decisionLog,
          experiment!,
          eventIdFor(planId, k.keywordId),
          context,
        );
        choices.set(k.keywordId, choice);
      }),
    );

    return input.keywords.map((k): PlanItem => {
      const base = {
        keywordId: k.keywordId,
        adGroupId: k.adGroupId,
        campaignId: k.campaignId,
        currentBid: k.bid,
      };
      const discovery = discoveries.get(k.keywordId);
      if (discovery !== undefined) {
        return {
          ...base,
          proposedBid: discovery.bid,
          action: "change",
          armId: null,
          multiplier: null,
          expectedReward: null,
          confidence: 0,
          reason: discovery.reason,
          eventId: null,
          modelBid: null,
          modelWeight: s.modelWeight,
        };
      }
      const held = holds.get(k.keywordId);
      if (held !== undefined) {
        return {
          ...base,
          proposedBid: k.bid,
          action: "hold",
          armId: null,
          multiplier: null,
          expectedReward: null,
          confidence: 0,
          reason: held,
          eventId: null,
          modelBid: null,
          modelWeight: s.modelWeight,
        };
      }
      const choice = choices.get(k.keywordId)!;
      const response = responses.get(k.keywordId)!;
      const banditBid = k.bid * choice.multiplier;
      const mb = modelBid(response, { target: s.effectiveTarget, margin: s.margin, minBid, maxBid });
      const w = mb === null ? 0 : s.modelWeight;
      const blended = mb === null ? banditBid : Math.exp(w * Math.log(mb) + (1 - w) * Math.log(banditBid));
      const guarded = applyBidGuardrails(k.bid, blended, {
        maxChange: s.maxChange,
        userMin: s.minBid,
        userMax: s.maxBid,
        marketMin: limits.min,
        marketMax: limits.max,
      });
      const eventId = eventIdFor(planId, k.keywordId);
      const change = Math.abs(guarded.bid - k.bid) >= MIN_STEP - 1e-9;
      const proposedBid = change ? guarded.bid : k.bid;
      const evaluation = evaluateProposal(
        response,
        k.bid,
        proposedBid,
        s.effectiveTarget,
        s.margin,
        createRng(seedOf(eventId)),
      );
      const rpc = revenuePerClick(response);
      const parts = [
        `bandit arm ${choice.armId} (segment ${choice.segment}) proposes ${k.bid.toFixed(2)} × ${choice.multiplier} = ${banditBid.toFixed(2)}`,
        mb === null
          ? "model: no bid meets the ACoS target, bandit alone"
          : `model bid ${mb.toFixed(2)} (max profit at ACoS ≤ ${(s.effectiveTarget * 100).toFixed(1)}%, revenue/click ${rpc.toFixed(2)} from ${response.clicks} own clicks pooled with the ad group)`,
        mb === null
          ? `blend ${blended.toFixed(2)}`
          : `blend ${blended.toFixed(2)} = model^${w} × bandit^${(1 - w).toFixed(2)}`,
      ];
      if (guarded.bound.length > 0) parts.push(`bound by ${guarded.bound.join(", ")}`);
      if (!change) parts.push("change under one cent: hold");
      return {
        ...base,
        proposedBid,
        action: change ? "change" : "hold",
        armId: choice.armId,
        multiplier: choice.multiplier,
        expectedReward: evaluation.expectedReward,
        confidence: evaluation.confidence,
        reason: parts.join("; "),
        eventId,
        modelBid: mb,
        modelWeight: w,
      };
    });
  }

  /** Rewards of executed changes whose evaluation window has settled (settle-rewards.ts). */
  settle(input: SettleInput): SettledReward[] {
    return settleRewards(input);
  }
}

/** Deterministic decision event id of a keyword in a plan (hashed when the plan id is long). */
export function eventIdFor(planId: string, keywordId: string): string {
  const id = `ads:${planId}:${keywordId}`;
  return id.length <= 256 ? id : `ads:${createHash("sha256").update(id).digest("hex")}`;
}

function seedOf(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32LE(0);
}

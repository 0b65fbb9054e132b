import type { FastifyInstance } from "fastify";
import { MEDIA_TYPES } from "../../../connectors/amazon-ads/media-types.js";
import type { KeywordUpdate } from "../../../connectors/amazon-ads/sp-types.js";
import type { Marketplace } from "../marketplace/marketplace.js";
import { sendApiError } from "./api-errors.js";
import type { FakeContext } from "./fake-context.js";
import { guard } from "./request-guard.js";
import { sendBody } from "./send-body.js";
import { keywordToWire } from "./sp-wire.js";

type ItemError = { errorType: string; errorValue: Record<string, Record<string, unknown>> };

function itemError(errorType: string, value: Record<string, unknown>): ItemError {
  return { errorType, errorValue: { [errorType]: value } };
}

/** Why Amazon would refuse this item, or undefined when it can be applied. */
function refusal(m: Marketplace, u: KeywordUpdate): ItemError | undefined {
  const kw = m.keyword(u.keywordId);
  if (kw === undefined) {
    return itemError("entityNotFoundError", {
      entityId: u.keywordId,
      entityType: "KEYWORD",
      reason: "ENTITY_NOT_FOUND",
      message: `Keyword ${u.keywordId} not found`,
    });
  }
  if (kw.state === "ARCHIVED") {
    return itemError("entityStateError", {
      entityType: "KEYWORD",
      reason: "ARCHIVED_ENTITY_CANNOT_BE_MODIFIED",
      message: `Keyword ${u.keywordId} is archived`,
    });
  }
  if (typeof u.bid === "number") {
    const { min, max } = m.info.bidLimits;
    if (!(u.bid >= min && u.bid <= max)) {
      return itemError("biddingError", {
        reason: "BID_OUT_OF_MARKET_PLACE_RANGE",
        message: `Bid ${u.bid} is outside the marketplace range ${min}-${max}`,
        lowerLimit: String(min),
        upperLimit: String(max),
        marketplace: m.profile.countryCode,
      });
    }
    const budget = m.campaign(kw.campaignId)!.dailyBudget;
    if (u.bid > budget) {
      return itemError("biddingError", {
        reason: "BID_GT_BUDGET",
        message: `Bid ${u.bid} is greater than the campaign's daily budget ${budget}`,
        marketplace: m.profile.countryCode,
      });
    }
  }
  return undefined;
}

/**
 * PUT /sp/keywords: ≤ 1000 items (spec), answered 207 Multi-Status with each item's success
 * or error; applied items change the simulator's bids and states from its next day on.
 * A partialFailure fault fails chosen items as an internal or throttling error.
 */
export function registerSpKeywordUpdateRoute(app: FastifyInstance, ctx: FakeContext): void {
  app.put("/sp/keywords", async (request, reply) => {
    const mediaType = MEDIA_TYPES.spKeyword;
    const g = guard(ctx, request, reply, { family: "sp", mediaType, scoped: true });
    if (!g.ok) return reply;
    const errors = ctx.validator.request("PUT", "/sp/keywords", mediaType, g.body);
    if (errors.length > 0) return sendApiError(reply, "sp", 400, `Invalid request body: ${errors.join("; ")}`);
    const m = g.marketplace!;
    const updates = (g.body as { keywords: KeywordUpdate[] }).keywords;
    const fault = ctx.faults.takeSpecific("PUT /sp/keywords", ["partialFailure"] as const);
    const failing = new Set(
      fault?.indices ?? (fault === undefined ? [] : updates.map((_, i) => i).filter((i) => i % 2 === 1)),
    );
    const representation = String(request.headers["prefer"] ?? "").includes("return=representation");

    const success: Record<string, unknown>[] = [];
    const error: { index: number; errors: ItemError[] }[] = [];
    updates.forEach((u, index) => {
      if (failing.has(index)) {
        const errorType = fault?.errorType ?? "internalServerError";
        const value =
          errorType === "throttledError"
            ? { reason: "THROTTLED", message: "Request was throttled, try again" }
            : { reason: "INTERNAL_ERROR", message: "Internal error while updating the keyword" };
        error.push({ index, errors: [itemError(errorType, value)] });
        return;
      }
      const refused = refusal(m, u);
      if (refused !== undefined) {
        error.push({ index, errors: [refused] });
        return;
      }
      if (u.bid !== undefined) m.setKeywordBid(u.keywordId, u.bid);
      if (u.state !== undefined) m.setKeywordState(u.keywordId, u.state);
      const item: Record<string, unknown> = { index, keywordId: u.keywordId };
      if (representation) item["keyword"] = keywordToWire(m, m.keyword(u.keywordId)!, false);
      success.push(item);
    });
    return sendBody(reply, 207, mediaType, JSON.stringify({ keywords: { success, error } }));
  });
}

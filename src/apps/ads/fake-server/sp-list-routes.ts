import type { FastifyInstance } from "fastify";
import { MEDIA_TYPES } from "../../../connectors/amazon-ads/media-types.js";
import type { Marketplace } from "../marketplace/marketplace.js";
import { sendApiError } from "./api-errors.js";
import type { FakeContext } from "./fake-context.js";
import { decodePageToken, encodePageToken } from "./page-token.js";
import { guard } from "./request-guard.js";
import { sendBody } from "./send-body.js";
import { adGroupToWire, campaignToWire, keywordToWire } from "./sp-wire.js";

type Body = Record<string, unknown>;
type IdFilter = { include: string[] } | undefined;
type NameFilter = { include?: string[]; queryTermMatchType?: string } | undefined;

const ids = (f: unknown) => (f as IdFilter)?.include;

function keep(filter: string[] | undefined, value: string | undefined): boolean {
  return filter === undefined || (value !== undefined && filter.includes(value));
}

/** Name/text filter: EXACT_MATCH compares whole names, BROAD_MATCH looks for the words inside. */
function keepName(filter: unknown, name: string): boolean {
  const f = filter as NameFilter;
  if (f?.include === undefined) return true;
  const n = name.toLowerCase();
  return f.include.some((q) =>
    f.queryTermMatchType === "EXACT_MATCH"
      ? n === q.toLowerCase()
      : q
          .toLowerCase()
          .split(/\s+/)
          .every((w) => n.includes(w)),
  );
}

interface ListSpec {
  path: string;
  mediaType: string;
  key: "campaigns" | "adGroups" | "keywords";
  items(m: Marketplace, body: Body): Record<string, unknown>[];
}

const LISTS: ListSpec[] = [
  {
    path: "/sp/campaigns/list",
    mediaType: MEDIA_TYPES.spCampaign,
    key: "campaigns",
    items: (m, b) =>
      m
        .campaigns()
        .filter(
          (c) =>
            keep(ids(b["campaignIdFilter"]), c.campaignId) &&
            keep(ids(b["portfolioIdFilter"]), c.portfolioId) &&
            keep(ids(b["stateFilter"]), c.state) &&
            keepName(b["nameFilter"], c.name),
        )
        .map((c) => campaignToWire(m, c, b["includeExtendedDataFields"] === true)),
  },
  {
    path: "/sp/adGroups/list",
    mediaType: MEDIA_TYPES.spAdGroup,
    key: "adGroups",
    items: (m, b) =>
      m
        .adGroups()
        .filter(
          (g) =>
            keep(ids(b["campaignIdFilter"]), g.campaignId) &&
            keep(ids(b["adGroupIdFilter"]), g.adGroupId) &&
            keep(ids(b["stateFilter"]), g.state) &&
            keepName(b["nameFilter"], g.name) &&
            (b["campaignTargetingTypeFilter"] === undefined || b["campaignTargetingTypeFilter"] === "MANUAL"),
        )
        .map((g) => adGroupToWire(m, g, b["includeExtendedDataFields"] === true)),
  },
  {
    path: "/sp/keywords/list",
    mediaType: MEDIA_TYPES.spKeyword,
    key: "keywords",
    items: (m, b) =>
      m
        .keywords()
        .filter(
          (k) =>
            keep(ids(b["campaignIdFilter"]), k.campaignId) &&
            keep(ids(b["adGroupIdFilter"]), k.adGroupId) &&
            keep(ids(b["keywordIdFilter"]), k.keywordId) &&
            keep(ids(b["stateFilter"]), k.state) &&
            keep(b["matchTypeFilter"] as string[] | undefined, k.matchType) &&
            keepName(b["keywordTextFilter"], k.keywordText),
        )
        .map((k) => keywordToWire(m, k, b["includeExtendedDataFields"] === true)),
  },
];

/**
 * POST /sp/campaigns/list, /sp/adGroups/list, /sp/keywords/list: body validated against the
 * spec, filters applied, pages of maxResults (default: the largest page) with a nextToken
 * bound to the filter.
 */
export function registerSpListRoutes(app: FastifyInstance, ctx: FakeContext): void {
  for (const spec of LISTS) {
    app.post(spec.path, async (request, reply) => {
      const g = guard(ctx, request, reply, { family: "sp", mediaType: spec.mediaType, scoped: true });
      if (!g.ok) return reply;
      const errors = ctx.validator.request("POST", spec.path, spec.mediaType, g.body);
      if (errors.length > 0) return sendApiError(reply, "sp", 400, `Invalid request body: ${errors.join("; ")}`);
      const { nextToken, maxResults, ...filter } = g.body as Body;
      const pageSize = (maxResults as number | undefined) ?? ctx.maxPageSize;
      if (pageSize < 1 || pageSize > ctx.maxPageSize) {
        return sendApiError(reply, "sp", 400, `maxResults must be between 1 and ${ctx.maxPageSize}, got ${pageSize}`);
      }
      let offset = 0;
      if (nextToken !== undefined) {
        const decoded = decodePageToken(nextToken as string, filter);
        if (decoded === undefined) return sendApiError(reply, "sp", 400, "Invalid nextToken for this request");
        offset = decoded;
      }
      const all = spec.items(g.marketplace!, filter);
      const page = all.slice(offset, offset + pageSize);
      const out: Body = { [spec.key]: page, totalResults: all.length };
      if (offset + pageSize < all.length) out["nextToken"] = encodePageToken(offset + pageSize, filter);
      return sendBody(reply, 200, spec.mediaType, JSON.stringify(out));
    });
  }
}

import type { AdsTransport } from "./ads-transport.js";
import { AmazonAdsError } from "./amazon-ads-error.js";
import { MEDIA_TYPES } from "./media-types.js";
import { paginate } from "./paginate.js";
import type { SpAdGroup, SpCampaign, SpKeyword } from "./sp-types.js";

/** The three SP v3 list endpoints the client uses: path, media type, result key, id field. */
export const SP_LISTS = {
  campaigns: { path: "/sp/campaigns/list", mediaType: MEDIA_TYPES.spCampaign, idField: "campaignId" },
  adGroups: { path: "/sp/adGroups/list", mediaType: MEDIA_TYPES.spAdGroup, idField: "adGroupId" },
  keywords: { path: "/sp/keywords/list", mediaType: MEDIA_TYPES.spKeyword, idField: "keywordId" },
} as const;

export interface SpListItems {
  campaigns: SpCampaign;
  adGroups: SpAdGroup;
  keywords: SpKeyword;
}

/** Pages of an SP v3 list: the filter is re-sent with each nextToken, as the API requires. */
export function spListPages<K extends keyof typeof SP_LISTS>(
  transport: AdsTransport,
  profileId: string,
  kind: K,
  filter: object,
): AsyncGenerator<SpListItems[K][], void, undefined> {
  const { path, mediaType, idField } = SP_LISTS[kind];
  const operation = `POST ${path}`;
  return paginate(operation, async (nextToken) => {
    const response = await transport.call({
      method: "POST",
      path,
      profileId,
      mediaType,
      body: nextToken === undefined ? filter : { ...filter, nextToken },
    });
    const body = response.body as Record<string, unknown> | undefined;
    const items = body?.[kind];
    if (!Array.isArray(items) || items.some((it) => typeof it?.[idField] !== "string")) {
      throw new AmazonAdsError(
        "BANDITRY_AMAZON_ADS_BAD_RESPONSE",
        `${operation} answered without a "${kind}" array of items with string ${idField}`,
        { httpStatus: response.status, body, operation },
      );
    }
    const token = body?.["nextToken"];
    return { items: items as SpListItems[K][], nextToken: typeof token === "string" ? token : undefined };
  });
}

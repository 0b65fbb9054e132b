import type { KeywordInfo } from "./optimizer-types.js";

/**
 * The bandit segment a keyword decides in. The experiment segments by the context's
 * "keywordId"; a keyword with enough settled clicks of its own puts its id there. A thin one
 * puts its ad group's pool ("adGroup:<id>") when the ad group has enough clicks, else its
 * campaign's ("campaign:<id>"), else the profile's ("profile"); every segment also borrows up
 * to SEGMENT_PSEUDO_COUNT rewards' worth from the experiment-wide posterior. So thin keywords
 * learn and decide together, and a keyword moves into its own segment once its data can carry
 * one. The context also carries the ad group and campaign ids, for the record.
 */
export function poolingContext(
  keyword: Pick<KeywordInfo, "keywordId" | "adGroupId" | "campaignId">,
  clicks: { keyword: number; adGroup: number; campaign: number },
  threshold: number,
): Record<string, string> {
  const unit =
    clicks.keyword >= threshold
      ? keyword.keywordId
      : clicks.adGroup >= threshold
        ? `adGroup:${keyword.adGroupId}`
        : clicks.campaign >= threshold
          ? `campaign:${keyword.campaignId}`
          : "profile";
  return { keywordId: unit, adGroupId: keyword.adGroupId, campaignId: keyword.campaignId };
}

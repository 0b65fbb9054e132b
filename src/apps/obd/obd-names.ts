/** The policy that logged a folder of the Open Bandit Dataset. */
export type ObdBehavior = "random" | "bts";
/** A campaign (a set of items shown on one page of the site). */
export type ObdCampaign = "men" | "women";

export const OBD_CAMPAIGNS: readonly ObdCampaign[] = ["men", "women"];

import type { AdsPlanItemRecord } from "./stores.js";

/** A new plan item's execution fields: nothing pushed, activated or rewarded yet (its `execution` depends on the action). */
export const NOT_EXECUTED = {
  errorCode: null,
  errorMessage: null,
  executedAt: null,
  activatedAt: null,
  rewardedAt: null,
  rewardValue: null,
} as const satisfies Partial<AdsPlanItemRecord>;

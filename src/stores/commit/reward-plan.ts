import type { RewardOp } from "../stores.js";

/**
 * What a batch's rewards for one event do, worked out before touching the database for both
 * possible starting states: the event has no reward yet, or it has one. The store then claims
 * the "no reward yet" state with one conditional UPDATE (… WHERE reward_count = 0), so two
 * processes racing on one event can never both take it.
 */
export interface EventRewardPlan {
  eventId: string;
  /** Indices into the batch's rewards, in batch order. */
  ops: number[];
  /** Per op: counts when the event had no reward before this batch. */
  countedIfEmpty: readonly boolean[];
  /** Per op: counts when the event already had a reward. */
  countedIfRewarded: readonly boolean[];
  countIfEmpty: number;
  countIfRewarded: number;
}

type PlannedOp = Pick<RewardOp, "eventId" | "isDefault" | "aggregation">;

/** Plans per event id, in order of first appearance. */
export function planRewards(rewards: readonly PlannedOp[]): Map<string, EventRewardPlan> {
  const plans = new Map<string, EventRewardPlan>();
  for (let i = 0; i < rewards.length; i++) {
    const eventId = rewards[i]!.eventId;
    let plan = plans.get(eventId);
    if (plan === undefined) {
      plan = {
        eventId,
        ops: [],
        countedIfEmpty: REFUSED,
        countedIfRewarded: REFUSED,
        countIfEmpty: 0,
        countIfRewarded: 0,
      };
      plans.set(eventId, plan);
    }
    plan.ops.push(i);
  }
  for (const plan of plans.values()) {
    if (plan.ops.length === 1) {
      // the common case, one reward per event: it counts on an empty event, and on a rewarded
      // one only when it is a client's sum reward (shared arrays: the plan is read, never changed)
      const op = rewards[plan.ops[0]!]!;
      const always = op.aggregation === "sum" && !op.isDefault;
      plan.countedIfEmpty = COUNTED;
      plan.countedIfRewarded = always ? COUNTED : REFUSED;
      plan.countIfEmpty = 1;
      plan.countIfRewarded = always ? 1 : 0;
      continue;
    }
    plan.countedIfEmpty = simulate(rewards, plan.ops, false);
    plan.countedIfRewarded = simulate(rewards, plan.ops, true);
    plan.countIfEmpty = plan.countedIfEmpty.filter(Boolean).length;
    plan.countIfRewarded = plan.countedIfRewarded.filter(Boolean).length;
  }
  return plans;
}

const COUNTED: readonly boolean[] = [true];
const REFUSED: readonly boolean[] = [false];

/** earliest rewards and default rewards count only while the event has no reward; sum rewards always. */
function simulate(rewards: readonly PlannedOp[], ops: readonly number[], rewarded: boolean): boolean[] {
  let has = rewarded;
  return ops.map((i) => {
    const op = rewards[i]!;
    const counted = op.aggregation === "sum" && !op.isDefault ? true : !has;
    if (counted) has = true;
    return counted;
  });
}

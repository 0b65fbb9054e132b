import type { Insertable, Kysely } from "kysely";
import type { Database, RewardsTable } from "../database.js";
import { type ColumnSpec, chunks, ROWS_PER_STATEMENT, rowValues, type SqlDialect } from "../sql-dialect.js";
import type { RewardOp, RewardOutcome } from "../stores.js";
import type { Increments } from "./increments.js";
import { type EventRewardPlan, planRewards } from "./reward-plan.js";
import type { SqliteRowInserter } from "./sqlite-row-inserter.js";

const COLUMNS = [
  ["event_id", "text"],
  ["seq", "integer"],
  ["experiment_id", "text"],
  ["value", "double precision"],
  ["is_default", "integer"],
  ["created_at", "bigint"],
  ["applied", "integer"],
  ["applied_at", "bigint"],
  ["n", "double precision"],
  ["s1", "double precision"],
  ["s2", "double precision"],
] as const satisfies ColumnSpec;

interface ClaimedDecision {
  event_id: string;
  experiment_id: string;
  segment: string;
  arm_id: string;
  grp: string;
  activated: number;
  reward_count: number;
}

/**
 * Records a batch's rewards. Per event, one conditional UPDATE of the decision's reward_count
 * decides which rewards count: first `… WHERE reward_count = 0` (the event had no reward: the
 * plan for an empty event applies), then, for events already rewarded whose plan still counts
 * something (sum), `… WHERE reward_count > 0`. The counts only grow, so the second step can't
 * race the first. The UPDATE's row lock and RETURNING also give the decision's current
 * activation state. Refused rewards leave no trace; counted ones are inserted with their
 * evidence, applied (added to posteriors now) when the decision is active.
 */
export async function recordRewards(
  trx: Kysely<Database>,
  dialect: SqlDialect,
  rewards: readonly RewardOp[],
  increments: Increments,
  inserter?: SqliteRowInserter,
): Promise<RewardOutcome[]> {
  if (rewards.length === 0) return [];
  const plans = planRewards(rewards);
  const claimed = new Map<string, { decision: ClaimedDecision; counted: boolean[]; k: number }>();

  // 1. events without a reward so far
  for (const [k, group] of groupBy([...plans.values()], (p) => p.countIfEmpty)) {
    for (const d of await increment(trx, dialect, group, k, "=")) {
      const plan = plans.get(d.event_id)!;
      claimed.set(d.event_id, { decision: d, counted: plan.countedIfEmpty, k });
    }
  }
  // 2. events that already had one, where some reward still counts (sum)
  const rewarded = [...plans.values()].filter((p) => !claimed.has(p.eventId));
  for (const [k, group] of groupBy(
    rewarded.filter((p) => p.countIfRewarded > 0),
    (p) => p.countIfRewarded,
  )) {
    for (const d of await increment(trx, dialect, group, k, ">")) {
      const plan = plans.get(d.event_id)!;
      claimed.set(d.event_id, { decision: d, counted: plan.countedIfRewarded, k });
    }
  }
  // 3. The rest are duplicates when the event has a reward, unknown otherwise. Only events
  // whose rewards all need an empty event can be duplicates (the others were unknown at step
  // 2), and a decision another process inserted after step 1 (reward_count 0) is unknown: on
  // PostgreSQL each statement sees the latest commits, and this reward came before that decision.
  const rest = rewarded.filter((p) => !claimed.has(p.eventId) && p.countIfRewarded === 0).map((p) => p.eventId);
  const duplicates = new Set<string>();
  if (rest.length > 0) {
    const found = await trx
      .selectFrom("decisions")
      .select("event_id")
      .where(dialect.inList("event_id", rest))
      .where("reward_count", ">", 0)
      .execute();
    for (const r of found) duplicates.add(r.event_id);
  }

  const outcomes: RewardOutcome[] = new Array(rewards.length);
  const rows: Insertable<RewardsTable>[] = [];
  for (const plan of plans.values()) {
    const claim = claimed.get(plan.eventId);
    if (claim === undefined) {
      const outcome = duplicates.has(plan.eventId) ? "duplicate" : "unknown";
      for (const i of plan.ops) outcomes[i] = outcome;
      continue;
    }
    const d = claim.decision;
    const applied = d.activated !== 0;
    // RETURNING gives the count after the increment: this batch's rewards are the last k
    let seq = d.reward_count - claim.k;
    plan.ops.forEach((i, j) => {
      if (!claim.counted[j]) {
        outcomes[i] = "duplicate";
        return;
      }
      const op = rewards[i]!;
      seq += 1;
      outcomes[i] = applied ? "applied" : "stored";
      rows.push({
        event_id: op.eventId,
        seq,
        experiment_id: d.experiment_id,
        value: op.value,
        is_default: op.isDefault ? 1 : 0,
        created_at: op.createdAt,
        applied: applied ? 1 : 0,
        applied_at: applied ? op.createdAt : null,
        n: op.evidence.n,
        s1: op.evidence.s1,
        s2: op.evidence.s2,
      });
      if (applied) increments.reward(d.experiment_id, d.segment, d.arm_id, d.grp, op.value, op.evidence);
    });
  }
  if (inserter !== undefined) inserter.insert("rewards", COLUMNS, rowValues(COLUMNS, rows));
  for (const chunk of inserter === undefined ? chunks(rows, ROWS_PER_STATEMENT) : []) {
    await trx
      .insertInto("rewards")
      .columns(COLUMNS.map(([name]) => name))
      .expression(dialect.jsonRows(COLUMNS, rowValues(COLUMNS, chunk)))
      .execute();
  }
  return outcomes;
}

function increment(
  trx: Kysely<Database>,
  dialect: SqlDialect,
  plans: readonly EventRewardPlan[],
  k: number,
  /** "=": the event has no reward yet (reward_count = 0); ">": it has one (reward_count > 0). */
  state: "=" | ">",
): Promise<ClaimedDecision[]> {
  return trx
    .updateTable("decisions")
    .set((eb) => ({ reward_count: eb("reward_count", "+", k), default_due_at: null }))
    .where(
      dialect.inList(
        "event_id",
        plans.map((p) => p.eventId),
      ),
    )
    .where("reward_count", state, 0)
    .returning(["event_id", "experiment_id", "segment", "arm_id", "grp", "activated", "reward_count"])
    .execute();
}

function groupBy<T>(items: readonly T[], key: (item: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}

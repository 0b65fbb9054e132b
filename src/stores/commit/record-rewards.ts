import { CompiledQuery, type Kysely } from "kysely";
import type { Database } from "../database.js";
import { quotedNames, unnestRowsParams, unnestRowsSql } from "../postgres/unnest-rows.js";
import { type ColumnSpec, chunks, ROWS_PER_STATEMENT, type SqlDialect } from "../sql-dialect.js";
import type { SqliteRawStatements } from "../sqlite/sqlite-raw-statements.js";
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

/** What a claim returns per decision: its id, activation state and reward count after the claim. */
type Claim = [eventId: string, activated: number, rewardCount: number];

/**
 * Records a batch's rewards. Per event, one conditional UPDATE of the decision's reward_count
 * decides which rewards count: first `… WHERE reward_count = 0` (the event had no reward: the
 * plan for an empty event applies), then, for events already rewarded whose plan still counts
 * something (sum), `… WHERE reward_count > 0`. The counts only grow, so the second step can't
 * race the first. The UPDATE's row lock and RETURNING also give the decision's current
 * activation state. Refused rewards leave no trace; counted ones are inserted with their
 * evidence, applied (added to posteriors now) when the decision is active. A decision's
 * experiment, segment, arm and group never change once written, so the op's copies are used
 * as they are (reading them back cost SQLite about a third of the claim's time).
 */
export async function recordRewards(
  trx: Kysely<Database>,
  dialect: SqlDialect,
  rewards: readonly RewardOp[],
  increments: Increments,
  /** SQLite's statements on the transaction's connection; without them, PostgreSQL's precompiled ones. */
  inserter?: SqliteRowInserter,
  raw?: SqliteRawStatements,
): Promise<RewardOutcome[]> {
  if (rewards.length === 0) return [];
  const plans = planRewards(rewards);
  const claimed = new Map<string, { claim: Claim; counted: readonly boolean[]; k: number }>();

  // 1. events without a reward so far
  for (const [k, group] of groupBy([...plans.values()], (p) => p.countIfEmpty)) {
    for (const c of await increment(trx, raw, group, k, "=")) {
      claimed.set(c[0], { claim: c, counted: plans.get(c[0])!.countedIfEmpty, k });
    }
  }
  // 2. events that already had one, where some reward still counts (sum)
  const rewarded = [...plans.values()].filter((p) => !claimed.has(p.eventId));
  for (const [k, group] of groupBy(
    rewarded.filter((p) => p.countIfRewarded > 0),
    (p) => p.countIfRewarded,
  )) {
    for (const c of await increment(trx, raw, group, k, ">")) {
      claimed.set(c[0], { claim: c, counted: plans.get(c[0])!.countedIfRewarded, k });
    }
  }
  // 3. The rest are duplicates when the event has a reward, unknown otherwise. Only events
  // whose rewards all need an empty event can be duplicates (the others were unknown at step
  // 2), and a decision another process inserted after step 1 (reward_count 0) is unknown: on
  // PostgreSQL each statement sees the latest commits, and this reward came before that decision.
  const rest = rewarded.filter((p) => !claimed.has(p.eventId) && p.countIfRewarded === 0).map((p) => p.eventId);
  const duplicates = new Set<string>();
  if (rest.length > 0 && raw !== undefined) {
    for (const r of raw.all(SELECT_REWARDED_SQLITE, [JSON.stringify(rest)])) duplicates.add(r[0] as string);
  } else if (rest.length > 0) {
    const found = await trx
      .selectFrom("decisions")
      .select("event_id")
      .where(dialect.inList("event_id", rest))
      .where("reward_count", ">", 0)
      .execute();
    for (const r of found) duplicates.add(r.event_id);
  }

  const outcomes: RewardOutcome[] = new Array(rewards.length);
  /** In COLUMNS order. */
  const rows: unknown[][] = [];
  for (const plan of plans.values()) {
    const entry = claimed.get(plan.eventId);
    if (entry === undefined) {
      const outcome = duplicates.has(plan.eventId) ? "duplicate" : "unknown";
      for (const i of plan.ops) outcomes[i] = outcome;
      continue;
    }
    const applied = entry.claim[1] !== 0;
    // RETURNING gives the count after the increment: this batch's rewards are the last k
    let seq = entry.claim[2] - entry.k;
    for (let j = 0; j < plan.ops.length; j++) {
      const i = plan.ops[j]!;
      if (!entry.counted[j]) {
        outcomes[i] = "duplicate";
        continue;
      }
      const op = rewards[i]!;
      seq += 1;
      outcomes[i] = applied ? "applied" : "stored";
      const e = op.evidence;
      rows.push([
        op.eventId,
        seq,
        op.experimentId,
        op.value,
        op.isDefault ? 1 : 0,
        op.createdAt,
        applied ? 1 : 0,
        applied ? op.createdAt : null,
        e.n,
        e.s1,
        e.s2,
      ]);
      if (applied) increments.reward(op.experimentId, op.segment, op.armId, op.group, op.value, e);
    }
  }
  if (inserter !== undefined) inserter.insert("rewards", COLUMNS, rows);
  else {
    for (const chunk of chunks(rows, ROWS_PER_STATEMENT)) {
      await trx.executeQuery(CompiledQuery.raw(INSERT_POSTGRES, unnestRowsParams(COLUMNS, chunk)));
    }
  }
  return outcomes;
}

const RETURNING = "returning event_id, activated, reward_count";
/** SQLite's claims, one text per state: `… + ?` takes k, json_each the event ids. */
const CLAIM_SQLITE = {
  "=": `update decisions set reward_count = reward_count + ?, default_due_at = null where event_id in (select value from json_each(?)) and reward_count = 0 ${RETURNING}`,
  ">": `update decisions set reward_count = reward_count + ?, default_due_at = null where event_id in (select value from json_each(?)) and reward_count > 0 ${RETURNING}`,
} as const;
/** PostgreSQL's, as precompiled queries: `$1` is k, `$2` the event ids. */
const CLAIM_POSTGRES = {
  "=": `update decisions set reward_count = reward_count + $1, default_due_at = null where event_id = any($2::text[]) and reward_count = 0 ${RETURNING}`,
  ">": `update decisions set reward_count = reward_count + $1, default_due_at = null where event_id = any($2::text[]) and reward_count > 0 ${RETURNING}`,
} as const;
const INSERT_POSTGRES = `insert into rewards (${quotedNames(COLUMNS)}) ${unnestRowsSql(COLUMNS)}`;
const SELECT_REWARDED_SQLITE =
  "select event_id from decisions where event_id in (select value from json_each(?)) and reward_count > 0";

async function increment(
  trx: Kysely<Database>,
  raw: SqliteRawStatements | undefined,
  plans: readonly EventRewardPlan[],
  k: number,
  /** "=": the event has no reward yet (reward_count = 0); ">": it has one (reward_count > 0). */
  state: "=" | ">",
): Promise<Claim[]> {
  if (raw !== undefined) {
    return raw.all(CLAIM_SQLITE[state], [k, JSON.stringify(plans.map((p) => p.eventId))]) as Claim[];
  }
  const result = await trx.executeQuery<{ event_id: string; activated: number; reward_count: number }>(
    CompiledQuery.raw(CLAIM_POSTGRES[state], [k, plans.map((p) => p.eventId)]),
  );
  return result.rows.map((r) => [r.event_id, r.activated, r.reward_count]);
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

import { CompiledQuery, type Kysely } from "kysely";
import type { Database } from "../database.js";
import { quotedNames, unnestRowsParams, unnestRowsSql } from "../postgres/unnest-rows.js";
import { type ColumnSpec, chunks, ROWS_PER_STATEMENT, rowValues } from "../sql-dialect.js";
import type { Increments } from "./increments.js";
import type { SqliteRowInserter } from "./sqlite-row-inserter.js";

const POSTERIOR_COLUMNS = [
  ["experiment_id", "text"],
  ["segment", "text"],
  ["arm_id", "text"],
  ["pulls", "bigint"],
  ["rewards", "bigint"],
  ["reward_sum", "double precision"],
  ["n", "double precision"],
  ["s1", "double precision"],
  ["s2", "double precision"],
  ["updated_at", "bigint"],
] as const satisfies ColumnSpec;

const GROUP_COLUMNS = [
  ["experiment_id", "text"],
  ["grp", "text"],
  ["decisions", "bigint"],
  ["rewards", "bigint"],
  ["reward_sum", "double precision"],
  ["reward_sum_sq", "double precision"],
] as const satisfies ColumnSpec;

/** The upserts' conflict clauses, shared by SQLite's prepared statements and PostgreSQL's precompiled queries. */
const POSTERIOR_UPSERT =
  "on conflict (experiment_id, segment, arm_id) do update set pulls = posteriors.pulls + excluded.pulls, " +
  "rewards = posteriors.rewards + excluded.rewards, reward_sum = posteriors.reward_sum + excluded.reward_sum, " +
  "n = posteriors.n + excluded.n, s1 = posteriors.s1 + excluded.s1, s2 = posteriors.s2 + excluded.s2, " +
  "updated_at = excluded.updated_at";
const GROUP_UPSERT =
  "on conflict (experiment_id, grp) do update set decisions = group_stats.decisions + excluded.decisions, " +
  "rewards = group_stats.rewards + excluded.rewards, reward_sum = group_stats.reward_sum + excluded.reward_sum, " +
  "reward_sum_sq = group_stats.reward_sum_sq + excluded.reward_sum_sq";

/** PostgreSQL's, as precompiled queries (no Kysely query building per commit). */
const POSTERIOR_UPSERT_POSTGRES = `insert into posteriors (${quotedNames(POSTERIOR_COLUMNS)}) ${unnestRowsSql(POSTERIOR_COLUMNS)} ${POSTERIOR_UPSERT}`;
const GROUP_UPSERT_POSTGRES = `insert into group_stats (${quotedNames(GROUP_COLUMNS)}) ${unnestRowsSql(GROUP_COLUMNS)} ${GROUP_UPSERT}`;

/**
 * Atomic increments (`n = posteriors.n + excluded.n`): several processes may add to one row,
 * none overwrites another's. One upsert row per key, in sorted key order (see Increments).
 */
export async function writeIncrements(
  trx: Kysely<Database>,
  increments: Increments,
  now: number,
  /** SQLite's prepared statements; without it, PostgreSQL's precompiled upserts. */
  inserter?: SqliteRowInserter,
): Promise<void> {
  const posteriors = increments.sortedPosteriors().map((p) => ({
    experiment_id: p.experimentId,
    segment: p.segment,
    arm_id: p.armId,
    pulls: p.pulls,
    rewards: p.rewards,
    reward_sum: p.rewardSum,
    n: p.n,
    s1: p.s1,
    s2: p.s2,
    updated_at: now,
  }));
  const groups = increments.sortedGroups().map((g) => ({
    experiment_id: g.experimentId,
    grp: g.group,
    decisions: g.decisions,
    rewards: g.rewards,
    reward_sum: g.rewardSum,
    reward_sum_sq: g.rewardSumSq,
  }));
  if (inserter !== undefined) {
    inserter.insert("posteriors", POSTERIOR_COLUMNS, rowValues(POSTERIOR_COLUMNS, posteriors), POSTERIOR_UPSERT);
    inserter.insert("group_stats", GROUP_COLUMNS, rowValues(GROUP_COLUMNS, groups), GROUP_UPSERT);
    return;
  }
  // PostgreSQL (SQLite always has its inserter: see KyselyEventStore)
  for (const chunk of chunks(posteriors, ROWS_PER_STATEMENT)) {
    const params = unnestRowsParams(POSTERIOR_COLUMNS, rowValues(POSTERIOR_COLUMNS, chunk));
    await trx.executeQuery(CompiledQuery.raw(POSTERIOR_UPSERT_POSTGRES, params));
  }
  for (const chunk of chunks(groups, ROWS_PER_STATEMENT)) {
    const params = unnestRowsParams(GROUP_COLUMNS, rowValues(GROUP_COLUMNS, chunk));
    await trx.executeQuery(CompiledQuery.raw(GROUP_UPSERT_POSTGRES, params));
  }
}

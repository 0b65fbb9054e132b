import { CompiledQuery, type Kysely } from "kysely";
import type { Database } from "../database.js";
import { unnestRowsParams, unnestRowsSql } from "../postgres/unnest-rows.js";
import { type ColumnSpec, chunks, ROWS_PER_STATEMENT, rowValues, type SqlDialect } from "../sql-dialect.js";
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

/** The upserts' conflict clauses as SQL text (SQLite's prepared statements, PostgreSQL's precompiled queries). */
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
const POSTERIOR_UPSERT_POSTGRES = `insert into posteriors (${names(POSTERIOR_COLUMNS)}) ${unnestRowsSql(POSTERIOR_COLUMNS)} ${POSTERIOR_UPSERT}`;
const GROUP_UPSERT_POSTGRES = `insert into group_stats (${names(GROUP_COLUMNS)}) ${unnestRowsSql(GROUP_COLUMNS)} ${GROUP_UPSERT}`;

function names(columns: ColumnSpec): string {
  return columns.map(([name]) => `"${name}"`).join(", ");
}

/**
 * Atomic increments (`n = posteriors.n + excluded.n`): several processes may add to one row,
 * none overwrites another's. One upsert row per key, in sorted key order (see Increments).
 */
export async function writeIncrements(
  trx: Kysely<Database>,
  dialect: SqlDialect,
  increments: Increments,
  now: number,
  /** SQLite: prepared statements instead of building the two upserts with Kysely at every commit. */
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
  if (dialect.kind === "postgres") {
    for (const chunk of chunks(posteriors, ROWS_PER_STATEMENT)) {
      const params = unnestRowsParams(POSTERIOR_COLUMNS, rowValues(POSTERIOR_COLUMNS, chunk));
      await trx.executeQuery(CompiledQuery.raw(POSTERIOR_UPSERT_POSTGRES, params));
    }
    for (const chunk of chunks(groups, ROWS_PER_STATEMENT)) {
      const params = unnestRowsParams(GROUP_COLUMNS, rowValues(GROUP_COLUMNS, chunk));
      await trx.executeQuery(CompiledQuery.raw(GROUP_UPSERT_POSTGRES, params));
    }
    return;
  }
  for (const chunk of chunks(posteriors, ROWS_PER_STATEMENT)) {
    await trx
      .insertInto("posteriors")
      .columns(POSTERIOR_COLUMNS.map(([name]) => name))
      .expression(dialect.jsonRows(POSTERIOR_COLUMNS, rowValues(POSTERIOR_COLUMNS, chunk)))
      .onConflict((oc) =>
        oc.columns(["experiment_id", "segment", "arm_id"]).doUpdateSet((eb) => ({
          pulls: eb("posteriors.pulls", "+", eb.ref("excluded.pulls")),
          rewards: eb("posteriors.rewards", "+", eb.ref("excluded.rewards")),
          reward_sum: eb("posteriors.reward_sum", "+", eb.ref("excluded.reward_sum")),
          n: eb("posteriors.n", "+", eb.ref("excluded.n")),
          s1: eb("posteriors.s1", "+", eb.ref("excluded.s1")),
          s2: eb("posteriors.s2", "+", eb.ref("excluded.s2")),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }

  for (const chunk of chunks(groups, ROWS_PER_STATEMENT)) {
    await trx
      .insertInto("group_stats")
      .columns(GROUP_COLUMNS.map(([name]) => name))
      .expression(dialect.jsonRows(GROUP_COLUMNS, rowValues(GROUP_COLUMNS, chunk)))
      .onConflict((oc) =>
        oc.columns(["experiment_id", "grp"]).doUpdateSet((eb) => ({
          decisions: eb("group_stats.decisions", "+", eb.ref("excluded.decisions")),
          rewards: eb("group_stats.rewards", "+", eb.ref("excluded.rewards")),
          reward_sum: eb("group_stats.reward_sum", "+", eb.ref("excluded.reward_sum")),
          reward_sum_sq: eb("group_stats.reward_sum_sq", "+", eb.ref("excluded.reward_sum_sq")),
        })),
      )
      .execute();
  }
}

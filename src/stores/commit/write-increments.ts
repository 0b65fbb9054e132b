import type { Kysely } from "kysely";
import type { Database } from "../database.js";
import { type ColumnSpec, chunks, ROWS_PER_STATEMENT, rowValues, type SqlDialect } from "../sql-dialect.js";
import type { Increments } from "./increments.js";

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

/**
 * Atomic increments (`n = posteriors.n + excluded.n`): several processes may add to one row,
 * none overwrites another's. One upsert row per key, in sorted key order (see Increments).
 */
export async function writeIncrements(
  trx: Kysely<Database>,
  dialect: SqlDialect,
  increments: Increments,
  now: number,
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

  const groups = increments.sortedGroups().map((g) => ({
    experiment_id: g.experimentId,
    grp: g.group,
    decisions: g.decisions,
    rewards: g.rewards,
    reward_sum: g.rewardSum,
    reward_sum_sq: g.rewardSumSq,
  }));
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

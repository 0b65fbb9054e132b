import type { Kysely } from "kysely";
import type { Database } from "../database.js";
import type { FeatureTextLog } from "../feature-text-log.js";
import type { SqlDialect } from "../sql-dialect.js";
import type { SqliteRawStatements } from "../sqlite/sqlite-raw-statements.js";
import type { CommitBatch, CommitResult } from "../stores.js";
import { activateDecisions } from "./activate-decisions.js";
import { Increments } from "./increments.js";
import { insertDecisions } from "./insert-decisions.js";
import { recordRewards } from "./record-rewards.js";
import type { SqliteRowInserter } from "./sqlite-row-inserter.js";
import { writeIncrements } from "./write-increments.js";

/**
 * The group commit, inside one transaction. Locks are taken in one order by every process —
 * experiments whose action texts the decisions refer to (key share, sorted), feature_texts,
 * decisions, rewards, posteriors (sorted), group_stats (sorted) — and a deadlock that the
 * database still detects (two decisions locked in different orders) is retried by the caller.
 */
export async function commitBatch(
  trx: Kysely<Database>,
  dialect: SqlDialect,
  batch: CommitBatch,
  /** The process's memory of action features texts (the log stores each once). */
  featureTexts: FeatureTextLog,
  /** SQLite: inserts rows with prepared single-row statements on the transaction's connection. */
  inserter?: SqliteRowInserter,
  /** SQLite: the hot updates as prepared statements on the transaction's connection. */
  raw?: SqliteRawStatements,
): Promise<CommitResult> {
  const increments = new Increments();
  const decisionsInserted = await insertDecisions(trx, batch, increments, featureTexts, inserter);
  const activation = await activateDecisions(trx, dialect, batch.activations, increments, batch.now);
  const rewardOutcomes = await recordRewards(trx, dialect, batch.rewards, increments, inserter, raw);
  await writeIncrements(trx, increments, batch.now, inserter);
  return {
    decisionsInserted,
    rewardOutcomes,
    activationOutcomes: activation.outcomes,
    activatedEvidence: activation.activatedEvidence,
  };
}

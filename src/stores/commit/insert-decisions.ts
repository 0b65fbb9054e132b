import { CompiledQuery, type Kysely } from "kysely";
import { CommitTexts, type FeatureText } from "../commit-texts.js";
import type { Database } from "../database.js";
import { decisionToRow } from "../decision-row.js";
import type { FeatureTextLog } from "../feature-text-log.js";
import { quotedNames, unnestRowsParams, unnestRowsSql } from "../postgres/unnest-rows.js";
import { type ColumnSpec, chunks, ROWS_PER_STATEMENT, rowValues } from "../sql-dialect.js";
import type { CommitBatch } from "../stores.js";
import type { Increments } from "./increments.js";
import type { SqliteRowInserter } from "./sqlite-row-inserter.js";

const COLUMNS = [
  ["event_id", "text"],
  ["experiment_id", "text"],
  ["segment", "text"],
  ["context", "text"],
  ["unit_id", "text"],
  ["arm_id", "text"],
  ["ranking", "text"],
  ["propensity", "double precision"],
  ["grp", "text"],
  ["seed", "bigint"],
  ["activated", "integer"],
  ["created_at", "bigint"],
  ["reward_count", "integer"],
  ["default_due_at", "bigint"],
  ["features", "text"],
] as const satisfies ColumnSpec;

const INSERT_POSTGRES = `insert into decisions (${quotedNames(COLUMNS)}) ${unnestRowsSql(COLUMNS)} on conflict (event_id) do nothing returning event_id`;

const TEXT_COLUMNS = [
  ["experiment_id", "text"],
  ["digest", "text"],
  ["text", "text"],
] as const satisfies ColumnSpec;
const INSERT_TEXTS_POSTGRES = `insert into feature_texts (${quotedNames(TEXT_COLUMNS)}) ${unnestRowsSql(TEXT_COLUMNS)} on conflict do nothing`;
/**
 * DELETE logs locks the experiment FOR UPDATE before it deletes the texts: a commit that refers
 * to texts holds this lock until it committed, so it never refers to a text deleted meanwhile.
 */
const LOCK_EXPERIMENTS_POSTGRES = "select id from experiments where id = any($1::text[]) order by id for key share";

/**
 * Multi-row INSERT … ON CONFLICT (event_id) DO NOTHING RETURNING event_id: the returned ids are
 * the decisions that are new. A repeated id inside the batch counts once (its first occurrence).
 * Rows go in sorted by event id, the same lock order for every process. On SQLite (the inserter)
 * each row is its own prepared `insert … on conflict do nothing`, new when it changed a row.
 * The action features the decisions refer to go in first (FeatureTextLog).
 */
export async function insertDecisions(
  trx: Kysely<Database>,
  batch: CommitBatch,
  increments: Increments,
  featureTexts: FeatureTextLog,
  /** SQLite's prepared statements; without it, PostgreSQL's precompiled insert. */
  inserter?: SqliteRowInserter,
): Promise<boolean[]> {
  const { decisions } = batch;
  if (decisions.length === 0) return [];
  const first = new Map<string, number>();
  for (let i = 0; i < decisions.length; i++) {
    if (!first.has(decisions[i]!.eventId)) first.set(decisions[i]!.eventId, i);
  }
  const unique = [...first.values()].map((i) => decisions[i]!);
  unique.sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  const texts = new CommitTexts();
  const rows = unique.map((d) =>
    decisionToRow(d, batch.rewardWaitMs[d.experimentId] ?? undefined, featureTexts.rowText(d, texts)),
  );
  if (texts.size > 0) await insertTexts(trx, texts.list(), inserter);

  const inserted = new Set<string>();
  if (inserter !== undefined) {
    const done = inserter.insert("decisions", COLUMNS, rowValues(COLUMNS, rows), "on conflict (event_id) do nothing");
    for (let i = 0; i < rows.length; i++) if (done[i]) inserted.add(rows[i]!.event_id);
  }
  for (const chunk of inserter === undefined ? chunks(rows, ROWS_PER_STATEMENT) : []) {
    const params = unnestRowsParams(COLUMNS, rowValues(COLUMNS, chunk));
    const returned = await trx.executeQuery<{ event_id: string }>(CompiledQuery.raw(INSERT_POSTGRES, params));
    for (const r of returned.rows) inserted.add(r.event_id);
  }
  return decisions.map((d, i) => {
    const isNew = first.get(d.eventId) === i && inserted.has(d.eventId);
    if (isNew) increments.pull(d.experimentId, d.segment, d.armId, d.group);
    return isNew;
  });
}

/** The texts the decisions refer to, unless stored already; on PostgreSQL under their experiments' lock. */
async function insertTexts(trx: Kysely<Database>, texts: FeatureText[], inserter?: SqliteRowInserter): Promise<void> {
  texts.sort((a, b) =>
    a.experimentId < b.experimentId ? -1 : a.experimentId > b.experimentId ? 1 : a.digest < b.digest ? -1 : 1,
  );
  const values = texts.map((t) => [t.experimentId, t.digest, t.text]);
  if (inserter !== undefined) {
    inserter.insert("feature_texts", TEXT_COLUMNS, values, "on conflict do nothing");
    return;
  }
  const experiments = [...new Set(texts.map((t) => t.experimentId))];
  await trx.executeQuery(CompiledQuery.raw(LOCK_EXPERIMENTS_POSTGRES, [experiments]));
  await trx.executeQuery(CompiledQuery.raw(INSERT_TEXTS_POSTGRES, unnestRowsParams(TEXT_COLUMNS, values)));
}

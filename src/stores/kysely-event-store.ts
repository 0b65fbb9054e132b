import { CompiledQuery, type Kysely, type Selectable } from "kysely";
import type { Decision, Reward } from "../domain/decision.js";
import { BanditryError } from "../domain/errors.js";
import type { Group } from "../domain/experiment.js";
import { commitBatch } from "./commit/commit-batch.js";
import { SqliteRowInserter } from "./commit/sqlite-row-inserter.js";
import { validateBatch } from "./commit/validate-batch.js";
import type { Database, DecisionsTable, PosteriorsTable } from "./database.js";
import { decisionFromRow } from "./decision-row.js";
import type { FeatureTextLog } from "./feature-text-log.js";
import type { SqlDialect } from "./sql-dialect.js";
import { rawSqliteOf } from "./sqlite/open-sqlite.js";
import { SqliteRawStatements } from "./sqlite/sqlite-raw-statements.js";
import type {
  CommitBatch,
  CommitResult,
  DecisionRef,
  DecisionWithRewards,
  EventStore,
  GroupStatsRow,
  PosteriorRow,
} from "./stores.js";
import { withRetry } from "./with-retry.js";

const EXPORT_PAGE_SIZE = 1000;
/** The lookup before each reward batch, precompiled: no query building per call. */
const SELECT_REFS_POSTGRES =
  "select event_id, experiment_id, segment, arm_id, grp, activated from decisions where event_id = any($1::text[])";
type RefRow = Pick<
  Selectable<DecisionsTable>,
  "event_id" | "experiment_id" | "segment" | "arm_id" | "grp" | "activated"
>;
const SELECT_REFS_SQLITE =
  "select event_id, experiment_id, segment, arm_id, grp, activated from decisions " +
  "where event_id in (select value from json_each(?))";

export class KyselyEventStore implements EventStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: SqlDialect;
  readonly #inserter: SqliteRowInserter | undefined;
  readonly #raw: SqliteRawStatements | undefined;
  readonly #featureTexts: FeatureTextLog;

  constructor(db: Kysely<Database>, dialect: SqlDialect, featureTexts: FeatureTextLog) {
    this.#db = db;
    this.#dialect = dialect;
    this.#featureTexts = featureTexts;
    const raw = dialect.kind === "sqlite" ? rawSqliteOf(db) : undefined;
    // the commit's SQLite statements run on the raw connection (there is no Kysely fallback)
    if (dialect.kind === "sqlite" && raw === undefined)
      throw new Error("a SQLite event store needs a database opened by openSqlite");
    this.#inserter = raw === undefined ? undefined : new SqliteRowInserter(raw);
    this.#raw = raw === undefined ? undefined : new SqliteRawStatements(raw);
  }

  /** The rows' decisions, their features' references to action texts resolved. */
  async #decisions(rows: readonly Selectable<DecisionsTable>[]): Promise<Decision[]> {
    const features = await this.#featureTexts.readFeatures(this.#db, rows);
    return rows.map((row, i) => decisionFromRow(row, features[i]!));
  }

  async commit(batch: CommitBatch): Promise<CommitResult> {
    if (batch.decisions.length === 0 && batch.rewards.length === 0 && batch.activations.length === 0) {
      return { decisionsInserted: [], rewardOutcomes: [], activationOutcomes: [], activatedEvidence: [] };
    }
    validateBatch(batch);
    return withRetry(this.#dialect, () =>
      this.#db
        .transaction()
        .execute((trx) => commitBatch(trx, this.#dialect, batch, this.#featureTexts, this.#inserter, this.#raw)),
    );
  }

  async decisionRefs(eventIds: readonly string[]): Promise<Map<string, DecisionRef>> {
    const out = new Map<string, DecisionRef>();
    if (eventIds.length === 0) return out;
    const ids = [...new Set(eventIds)];
    const raw = this.#raw;
    if (raw !== undefined) {
      // on Kysely's connection, so that a group commit in progress is not read half-done
      const rows = await this.#db.connection().execute(async () => raw.all(SELECT_REFS_SQLITE, [JSON.stringify(ids)]));
      for (const r of rows) {
        out.set(r[0] as string, {
          experimentId: r[1] as string,
          segment: r[2] as string,
          armId: r[3] as string,
          group: r[4] as Group,
          activated: r[5] !== 0,
        });
      }
      return out;
    }
    const { rows } =
      this.#dialect.kind === "postgres"
        ? await this.#db.executeQuery<RefRow>(CompiledQuery.raw(SELECT_REFS_POSTGRES, [ids]))
        : await this.#db
            .selectFrom("decisions")
            .select(["event_id", "experiment_id", "segment", "arm_id", "grp", "activated"])
            .where(this.#dialect.inList("event_id", ids))
            .execute()
            .then((rows) => ({ rows }));
    for (const r of rows) {
      out.set(r.event_id, {
        experimentId: r.experiment_id,
        segment: r.segment,
        armId: r.arm_id,
        group: r.grp as Group,
        activated: r.activated !== 0,
      });
    }
    return out;
  }

  async getDecisions(eventIds: readonly string[]): Promise<Map<string, Decision>> {
    const out = new Map<string, Decision>();
    if (eventIds.length === 0) return out;
    const rows = await this.#db
      .selectFrom("decisions")
      .selectAll()
      .where(this.#dialect.inList("event_id", [...new Set(eventIds)]))
      .execute();
    const decisions = await this.#decisions(rows);
    for (const d of decisions) out.set(d.eventId, d);
    return out;
  }

  async dueForDefaultReward(now: number, limit: number): Promise<Decision[]> {
    const rows = await this.#db
      .selectFrom("decisions")
      .selectAll()
      .where("default_due_at", "is not", null)
      .where("default_due_at", "<=", now)
      .orderBy("default_due_at")
      .orderBy("event_id")
      .limit(limit)
      .execute();
    return this.#decisions(rows);
  }

  async loadPosteriors(experimentId: string): Promise<PosteriorRow[]> {
    const rows = await this.#db
      .selectFrom("posteriors")
      .selectAll()
      .where("experiment_id", "=", experimentId)
      .orderBy("segment")
      .orderBy("arm_id")
      .execute();
    return rows.map(posteriorFromRow);
  }

  async posteriorsChangedSince(since: number): Promise<PosteriorRow[]> {
    const rows = await this.#db
      .selectFrom("posteriors")
      .selectAll()
      .where("updated_at", ">=", since)
      .orderBy("experiment_id")
      .orderBy("segment")
      .orderBy("arm_id")
      .execute();
    return rows.map(posteriorFromRow);
  }

  async groupStats(experimentId: string): Promise<GroupStatsRow[]> {
    const rows = await this.#db
      .selectFrom("group_stats")
      .selectAll()
      .where("experiment_id", "=", experimentId)
      .orderBy("grp")
      .execute();
    return rows.map((r) => ({
      experimentId: r.experiment_id,
      group: r.grp as Group,
      decisions: r.decisions,
      rewards: r.rewards,
      rewardSum: r.reward_sum,
      rewardSumSq: r.reward_sum_sq,
    }));
  }

  async rescaleEvidence(
    experimentId: string,
    factor: number,
    rebase?: { decayLandmark: number; now: number },
  ): Promise<void> {
    if (!(Number.isFinite(factor) && factor >= 0)) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", `factor must be a finite number >= 0, got ${factor}`, {
        field: "factor",
      });
    }
    await withRetry(this.#dialect, () =>
      this.#db.transaction().execute(async (trx) => {
        if (rebase !== undefined) {
          const updated = await trx
            .updateTable("experiments")
            .set({ decay_landmark: rebase.decayLandmark, updated_at: rebase.now })
            .where("id", "=", experimentId)
            .returning("id")
            .execute();
          if (updated.length === 0) {
            throw new BanditryError("BANDITRY_EXPERIMENT_NOT_FOUND", `experiment ${experimentId} does not exist`, {
              field: "experimentId",
            });
          }
        }
        await trx
          .updateTable("posteriors")
          .set((eb) => ({
            n: eb("n", "*", factor),
            s1: eb("s1", "*", factor),
            s2: eb("s2", "*", factor),
            ...(rebase === undefined ? {} : { updated_at: rebase.now }),
          }))
          .where("experiment_id", "=", experimentId)
          .execute();
        await trx
          .updateTable("rewards")
          .set((eb) => ({ n: eb("n", "*", factor), s1: eb("s1", "*", factor), s2: eb("s2", "*", factor) }))
          .where("experiment_id", "=", experimentId)
          .where("applied", "=", 0)
          .execute();
      }),
    );
  }

  async *exportDecisions(
    experimentId: string,
    options: { from?: number; to?: number } = {},
  ): AsyncIterable<DecisionWithRewards> {
    // keyset pagination on (created_at, event_id): every page is one index range scan
    let after: { createdAt: number; eventId: string } | undefined;
    for (;;) {
      const page = await this.#db
        .selectFrom("decisions")
        .selectAll()
        .where("experiment_id", "=", experimentId)
        .$if(options.from !== undefined, (qb) => qb.where("created_at", ">=", options.from!))
        .$if(options.to !== undefined, (qb) => qb.where("created_at", "<", options.to!))
        .$if(after !== undefined, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb("created_at", ">", after!.createdAt),
              eb.and([eb("created_at", "=", after!.createdAt), eb("event_id", ">", after!.eventId)]),
            ]),
          ),
        )
        .orderBy("created_at")
        .orderBy("event_id")
        .limit(EXPORT_PAGE_SIZE)
        .execute();
      if (page.length === 0) return;
      const rewards = await this.#rewardsOf(page.map((d) => d.event_id));
      for (const d of await this.#decisions(page)) yield { ...d, rewards: rewards.get(d.eventId) ?? [] };
      if (page.length < EXPORT_PAGE_SIZE) return;
      const last = page[page.length - 1]!;
      after = { createdAt: last.created_at, eventId: last.event_id };
    }
  }

  async #rewardsOf(eventIds: string[]): Promise<Map<string, Reward[]>> {
    const rows = await this.#db
      .selectFrom("rewards")
      .select(["event_id", "value", "created_at", "is_default"])
      .where(this.#dialect.inList("event_id", eventIds))
      .orderBy("event_id")
      .orderBy("seq")
      .execute();
    const out = new Map<string, Reward[]>();
    for (const r of rows) {
      const reward: Reward = {
        eventId: r.event_id,
        value: r.value,
        createdAt: r.created_at,
        isDefault: r.is_default !== 0,
      };
      const list = out.get(r.event_id);
      if (list === undefined) out.set(r.event_id, [reward]);
      else list.push(reward);
    }
    return out;
  }
}

function posteriorFromRow(r: Selectable<PosteriorsTable>): PosteriorRow {
  return {
    experimentId: r.experiment_id,
    segment: r.segment,
    armId: r.arm_id,
    pulls: r.pulls,
    rewards: r.rewards,
    rewardSum: r.reward_sum,
    n: r.n,
    s1: r.s1,
    s2: r.s2,
    updatedAt: r.updated_at,
  };
}

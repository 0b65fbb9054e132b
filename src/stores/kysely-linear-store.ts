import { type ExpressionBuilder, type Kysely, sql } from "kysely";
import type { Database } from "./database.js";
import type { FeatureTextLog } from "./feature-text-log.js";
import type { SqlDialect } from "./sql-dialect.js";
import type { LearnedReward, LearningLogKey, LinearSnapshot, LinearStore } from "./stores.js";
import { withRetry } from "./with-retry.js";

/**
 * The learning log of linear experiments (rewards that count, in the order they started to
 * count, with the features their decision logged) and the snapshots of their models. Every
 * instance learns by tailing this log, so all of them converge to the same model whichever
 * instance received a reward.
 */
export class KyselyLinearStore implements LinearStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: SqlDialect;
  readonly #featureTexts: FeatureTextLog;

  constructor(db: Kysely<Database>, dialect: SqlDialect, featureTexts: FeatureTextLog) {
    this.#db = db;
    this.#dialect = dialect;
    this.#featureTexts = featureTexts;
  }

  /** The rows as LearnedRewards, their features' references to action texts resolved. */
  async #learned(rows: readonly LogRow[]): Promise<LearnedReward[]> {
    const features = await this.#featureTexts.readFeatures(
      this.#db,
      rows.map((r) => ({ experiment_id: r.experiment_id, features: r.features })),
    );
    return rows.map((row, i) => ({
      appliedAt: row.applied_at!,
      eventId: row.event_id,
      seq: row.seq,
      value: row.value,
      armId: row.arm_id,
      features: features[i]!,
    }));
  }

  async learningLog(experimentId: string, after: LearningLogKey, limit: number): Promise<LearnedReward[]> {
    const rows = await this.#logRows(experimentId)
      .where((eb) => afterKey(eb, after))
      .orderBy("r.applied_at")
      .orderBy("r.event_id")
      .orderBy("r.seq")
      .limit(limit)
      .execute();
    return this.#learned(rows);
  }

  async learningLogKeys(
    experimentId: string,
    after: LearningLogKey,
    through: number,
    limit: number,
  ): Promise<LearningLogKey[]> {
    const rows = await this.#db
      .selectFrom("rewards as r")
      .select(["r.event_id", "r.seq", "r.applied_at"])
      .where("r.experiment_id", "=", experimentId)
      .where("r.applied_at", "is not", null)
      .where("r.applied_at", "<=", through)
      .where((eb) => afterKey(eb, after))
      .orderBy("r.applied_at")
      .orderBy("r.event_id")
      .orderBy("r.seq")
      .limit(limit)
      .execute();
    return rows.map((row) => ({ appliedAt: row.applied_at!, eventId: row.event_id, seq: row.seq }));
  }

  async learningLogRows(
    experimentId: string,
    keys: readonly { eventId: string; seq: number }[],
  ): Promise<LearnedReward[]> {
    const wanted = new Set(keys.map((k) => `${k.seq}:${k.eventId}`));
    const eventIds = [...new Set(keys.map((k) => k.eventId))];
    const out: LearnedReward[] = [];
    // by event id (the primary key's first column), in chunks well under both dialects' parameter limits
    for (let i = 0; i < eventIds.length; i += KEY_CHUNK) {
      const rows = await this.#logRows(experimentId)
        .where("r.event_id", "in", eventIds.slice(i, i + KEY_CHUNK))
        .execute();
      out.push(...(await this.#learned(rows.filter((row) => wanted.has(`${row.seq}:${row.event_id}`)))));
    }
    return out.sort(
      (a, b) => a.appliedAt - b.appliedAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : a.seq - b.seq),
    );
  }

  /** Rewards of the experiment that count for learning, joined with their decision. */
  #logRows(experimentId: string) {
    return this.#db
      .selectFrom("rewards as r")
      .innerJoin("decisions as d", "d.event_id", "r.event_id")
      .select(["r.event_id", "r.seq", "r.applied_at", "r.value", "d.arm_id", "d.features", "d.experiment_id"])
      .where("r.experiment_id", "=", experimentId)
      .where("r.applied_at", "is not", null);
  }

  async loadSnapshot(experimentId: string): Promise<LinearSnapshot | undefined> {
    const row = await this.#db
      .selectFrom("linear_snapshots")
      .selectAll()
      .where("experiment_id", "=", experimentId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      experimentId: row.experiment_id,
      model: row.model,
      position: JSON.parse(row.position) as LinearSnapshot["position"],
      updatedAt: row.updated_at,
    };
  }

  async snapshotCreatedAt(experimentId: string): Promise<number | undefined> {
    const createdAt =
      this.#dialect.kind === "postgres"
        ? sql<number | null>`(position::json ->> 'createdAt')::float8`
        : sql<number | null>`json_extract(position, '$.createdAt')`;
    const row = await this.#db
      .selectFrom("linear_snapshots")
      .select(createdAt.as("created_at"))
      .where("experiment_id", "=", experimentId)
      .executeTakeFirst();
    return row === undefined || row.created_at === null ? undefined : Number(row.created_at);
  }

  saveSnapshot(snapshot: LinearSnapshot): Promise<boolean> {
    const values = {
      experiment_id: snapshot.experimentId,
      model: snapshot.model,
      position: JSON.stringify(snapshot.position),
      updated_at: snapshot.updatedAt,
    };
    return withRetry(this.#dialect, () =>
      this.#db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto("linear_snapshots")
          .values(values)
          .onConflict((oc) => oc.column("experiment_id").doNothing())
          .returning("experiment_id")
          .execute();
        if (inserted.length > 0) return true;
        const current = await trx
          .selectFrom("linear_snapshots")
          .select("position")
          .where("experiment_id", "=", snapshot.experimentId)
          .$if(this.#dialect.lockRows, (qb) => qb.forUpdate())
          .executeTakeFirstOrThrow();
        const stored = (JSON.parse(current.position) as { createdAt?: unknown }).createdAt;
        // a reset elsewhere (a later createdAt) wins over any snapshot of the model before it
        if (typeof stored === "number" && stored > snapshot.position.createdAt) return false;
        await trx
          .updateTable("linear_snapshots")
          .set({ model: values.model, position: values.position, updated_at: values.updated_at })
          .where("experiment_id", "=", snapshot.experimentId)
          .execute();
        return true;
      }),
    );
  }
}

/** Event ids per learningLogRows query. */
const KEY_CHUNK = 500;

/** Keyset: (applied_at, event_id, seq) > after, spelled out (row values differ across dialects). */
function afterKey(eb: ExpressionBuilder<Database & { r: Database["rewards"] }, "r">, after: LearningLogKey) {
  return eb.or([
    eb("r.applied_at", ">", after.appliedAt),
    eb.and([
      eb("r.applied_at", "=", after.appliedAt),
      eb.or([
        eb("r.event_id", ">", after.eventId),
        eb.and([eb("r.event_id", "=", after.eventId), eb("r.seq", ">", after.seq)]),
      ]),
    ]),
  ]);
}

/** A learning-log row as selected by #logRows. */
interface LogRow {
  event_id: string;
  seq: number;
  applied_at: number | null;
  value: number;
  arm_id: string;
  features: string | null;
  experiment_id: string;
}

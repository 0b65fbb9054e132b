import type { Kysely } from "kysely";
import type { EvaluationRecord } from "../evaluation/evaluation-types.js";
import type { Database } from "./database.js";
import type { SqlDialect } from "./sql-dialect.js";
import type { EvaluationStore } from "./stores.js";
import { withRetry } from "./with-retry.js";

/** The evaluations table (migrations/0003-evaluations.ts); kept here, the only code that reads it. */
interface EvaluationsTable {
  id: string;
  experiment_id: string;
  status: string;
  /** JSON of the EvaluationRecord. */
  record: string;
  created_at: number;
  heartbeat_at: number;
}

type EvaluationDatabase = Database & { evaluations: EvaluationsTable };

/** Statuses whose record may still change: a finished record is final. */
const UNFINISHED = ["pending", "running"];

/** Offline evaluations of both dialects (one JSON record per row, see EvaluationStore). */
export class KyselyEvaluationStore implements EvaluationStore {
  readonly #db: Kysely<EvaluationDatabase>;
  readonly #dialect: SqlDialect;

  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.#db = db as unknown as Kysely<EvaluationDatabase>;
    this.#dialect = dialect;
  }

  async create(record: EvaluationRecord, now: number): Promise<void> {
    await this.#db
      .insertInto("evaluations")
      .values({
        id: record.id,
        experiment_id: record.experimentId,
        status: record.status,
        record: JSON.stringify(record),
        created_at: record.createdAt,
        heartbeat_at: now,
      })
      .execute();
  }

  async get(id: string): Promise<EvaluationRecord | undefined> {
    const row = await this.#db.selectFrom("evaluations").select("record").where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : (JSON.parse(row.record) as EvaluationRecord);
  }

  async list(options: { experimentId?: string } = {}): Promise<EvaluationRecord[]> {
    const rows = await this.#db
      .selectFrom("evaluations")
      .select("record")
      .$if(options.experimentId !== undefined, (qb) => qb.where("experiment_id", "=", options.experimentId!))
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return rows.map((r) => JSON.parse(r.record) as EvaluationRecord);
  }

  async save(record: EvaluationRecord, now: number): Promise<boolean> {
    const result = await this.#db
      .updateTable("evaluations")
      .set({ status: record.status, record: JSON.stringify(record), heartbeat_at: now })
      .where("id", "=", record.id)
      .where("status", "in", UNFINISHED)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom("evaluations").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  failStale(staleBefore: number, error: { code: string; message: string }, now: number): Promise<string[]> {
    return withRetry(this.#dialect, () =>
      this.#db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom("evaluations")
          .select(["id", "record"])
          .where("status", "in", UNFINISHED)
          .where("heartbeat_at", "<", staleBefore)
          .$if(this.#dialect.lockRows, (qb) => qb.forUpdate())
          .execute();
        for (const row of rows) {
          const record = JSON.parse(row.record) as EvaluationRecord;
          const failed: EvaluationRecord = { ...record, status: "failed", error, finishedAt: now };
          await trx
            .updateTable("evaluations")
            .set({ status: "failed", record: JSON.stringify(failed) })
            .where("id", "=", row.id)
            .execute();
        }
        return rows.map((r) => r.id);
      }),
    );
  }
}

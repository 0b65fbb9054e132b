import type { Kysely } from "kysely";
import { sql } from "kysely";
import { BanditryError } from "../domain/errors.js";
import type { Database } from "./database.js";
import type { SqlDialect } from "./sql-dialect.js";
import type { LoopStore } from "./stores.js";
import { withRetry } from "./with-retry.js";

/** Above every character of the event ids compared here (byte order on both dialects). */
const MAX_CHAR = "\u{10FFFF}";
const MAX_BUCKETS = 100_000;

function count(v: unknown): number {
  return typeof v === "bigint" ? Number(v) : Number(v ?? 0);
}

export class KyselyLoopStore implements LoopStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: SqlDialect;

  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async logDateRange(experimentId: string): Promise<{ from: number; to: number } | null> {
    const row = await this.#db
      .selectFrom("decisions")
      .select((eb) => [eb.fn.min("created_at").as("from"), eb.fn.max("created_at").as("to")])
      .where("experiment_id", "=", experimentId)
      .executeTakeFirst();
    if (row === undefined || row.from === null || row.to === null) return null;
    return { from: count(row.from), to: count(row.to) };
  }

  async deleteLogs(experimentId: string): Promise<{ decisions: number; rewards: number }> {
    return withRetry(this.#dialect, () =>
      this.#db.transaction().execute(async (trx) => {
        // waits for the commits that refer to the experiment's action texts (they hold it in key share)
        if (this.#dialect.kind === "postgres") {
          await trx.selectFrom("experiments").select("id").where("id", "=", experimentId).forUpdate().execute();
        }
        await trx.deleteFrom("feature_texts").where("experiment_id", "=", experimentId).execute();
        const rewards = await trx.deleteFrom("rewards").where("experiment_id", "=", experimentId).executeTakeFirst();
        const decisions = await trx
          .deleteFrom("decisions")
          .where("experiment_id", "=", experimentId)
          .executeTakeFirst();
        return { decisions: count(decisions.numDeletedRows), rewards: count(rewards.numDeletedRows) };
      }),
    );
  }

  async rewardBuckets(
    experimentId: string,
    range: { from: number; to: number; bucketMs: number },
  ): Promise<{ start: number; rewards: number; rewardSum: number }[]> {
    const { from, to, bucketMs } = range;
    for (const [name, v] of Object.entries(range)) {
      if (!Number.isSafeInteger(v)) {
        throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${name} must be an integer, got ${v}`, { field: name });
      }
    }
    if (bucketMs < 1 || to < from || (to - from) / bucketMs > MAX_BUCKETS) {
      throw new BanditryError(
        "BANDITRY_INVALID_PARAMETER",
        `the range must hold at most ${MAX_BUCKETS} buckets of at least 1 ms`,
        { field: "bucketMs" },
      );
    }
    // the bucket's start; `%` is integer on both dialects (SQLite casts its operands to integers)
    const bucket = sql<number>`${sql.ref("applied_at")} - ((${sql.ref("applied_at")} - ${from}) % ${bucketMs})`;
    const rows = await this.#db
      .selectFrom("rewards")
      .select((eb) => [bucket.as("bucket"), eb.fn.countAll().as("rewards"), eb.fn.sum("value").as("reward_sum")])
      .where("experiment_id", "=", experimentId)
      .where("applied_at", "is not", null)
      .where("applied_at", ">=", from)
      .where("applied_at", "<", to)
      .groupBy("bucket")
      .orderBy("bucket")
      .execute();
    return rows.map((r) => ({
      start: count(r.bucket),
      rewards: count(r.rewards),
      rewardSum: Number(r.reward_sum ?? 0),
    }));
  }

  async eventIdsWithPrefix(experimentId: string, prefix: string, limit: number): Promise<string[]> {
    const rows = await this.#db
      .selectFrom("decisions")
      .select("event_id")
      .where("event_id", ">=", prefix)
      .where("event_id", "<", prefix + MAX_CHAR)
      .where("experiment_id", "=", experimentId)
      .orderBy("event_id")
      .limit(Math.max(0, Math.floor(limit)))
      .execute();
    return rows.map((r) => r.event_id).filter((id) => id.startsWith(prefix));
  }
}

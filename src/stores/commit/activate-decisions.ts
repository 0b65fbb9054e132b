import type { Kysely } from "kysely";
import type { Database } from "../database.js";
import type { SqlDialect } from "../sql-dialect.js";
import type { ActivationOutcome, CommitResult } from "../stores.js";
import type { Increments } from "./increments.js";

/**
 * Activates decisions with a conditional UPDATE (… WHERE activated = 0 RETURNING), so only one
 * of two racing processes activates an event, then applies the rewards stored for it. A reward
 * being recorded concurrently holds the decision's row lock, so it either sees the activation
 * (and applies itself) or commits before the activation reads the stored rewards.
 */
export async function activateDecisions(
  trx: Kysely<Database>,
  dialect: SqlDialect,
  eventIds: readonly string[],
  increments: Increments,
  now: number,
): Promise<{ outcomes: ActivationOutcome[]; activatedEvidence: CommitResult["activatedEvidence"] }> {
  if (eventIds.length === 0) return { outcomes: [], activatedEvidence: [] };
  const distinct = [...new Set(eventIds)];
  const activated = await trx
    .updateTable("decisions")
    .set({ activated: 1 })
    .where(dialect.inList("event_id", distinct))
    .where("activated", "=", 0)
    .returning(["event_id", "experiment_id", "segment", "arm_id", "grp"])
    .execute();
  const byId = new Map(activated.map((d) => [d.event_id, d]));

  // the others were active already, or unknown (one inserted by another process after the
  // UPDATE, still inactive, counts as unknown: this activation came before it)
  const rest = distinct.filter((id) => !byId.has(id));
  const already = new Set<string>();
  if (rest.length > 0) {
    const found = await trx
      .selectFrom("decisions")
      .select("event_id")
      .where(dialect.inList("event_id", rest))
      .where("activated", "<>", 0)
      .execute();
    for (const r of found) already.add(r.event_id);
  }

  const activatedEvidence: CommitResult["activatedEvidence"] = [];
  if (activated.length > 0) {
    const stored = await trx
      .updateTable("rewards")
      .set({ applied: 1, applied_at: now })
      .where(
        dialect.inList(
          "event_id",
          activated.map((d) => d.event_id),
        ),
      )
      .where("applied", "=", 0)
      .returning(["event_id", "seq", "value", "n", "s1", "s2"])
      .execute();
    const order = new Map(distinct.map((id, i) => [id, i]));
    stored.sort((a, b) => order.get(a.event_id)! - order.get(b.event_id)! || a.seq - b.seq);
    for (const r of stored) {
      const d = byId.get(r.event_id)!;
      const evidence = { n: r.n, s1: r.s1, s2: r.s2 };
      increments.reward(d.experiment_id, d.segment, d.arm_id, d.grp, r.value, evidence);
      activatedEvidence.push({
        experimentId: d.experiment_id,
        segment: d.segment,
        armId: d.arm_id,
        evidence,
        value: r.value,
      });
    }
  }

  const seen = new Set<string>();
  const outcomes = eventIds.map((id): ActivationOutcome => {
    const again = seen.has(id);
    seen.add(id);
    if (byId.has(id)) return again ? "already" : "activated";
    return already.has(id) ? "already" : "unknown";
  });
  return { outcomes, activatedEvidence };
}

import type { Insertable, Kysely, Selectable } from "kysely";
import { BanditryError } from "../domain/errors.js";
import type { Arm, ArmState, ExperimentConfig, ExperimentStatus } from "../domain/experiment.js";
import { withConfigDefaults } from "../domain/validate-experiment.js";
import type { ArmsTable, Database, ExperimentsTable } from "./database.js";
import type { SqlDialect } from "./sql-dialect.js";
import type { ExperimentPatch, ExperimentRecord, ExperimentStore } from "./stores.js";
import { withRetry } from "./with-retry.js";

export class KyselyExperimentStore implements ExperimentStore {
  readonly #db: Kysely<Database>;
  readonly #dialect: SqlDialect;

  constructor(db: Kysely<Database>, dialect: SqlDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async create(experiment: ExperimentRecord): Promise<void> {
    const seen = new Set<string>();
    for (const arm of experiment.arms) {
      if (seen.has(arm.id)) throw armExists(experiment.id, arm.id);
      seen.add(arm.id);
    }
    await this.#db.transaction().execute(async (trx) => {
      // DO NOTHING + RETURNING instead of catching the unique violation: no SQL error to parse
      const inserted = await trx
        .insertInto("experiments")
        .values(experimentToRow(experiment))
        .onConflict((oc) => oc.column("id").doNothing())
        .returning("id")
        .execute();
      if (inserted.length === 0) {
        throw new BanditryError("BANDITRY_EXPERIMENT_EXISTS", `experiment id ${experiment.id} is already taken`, {
          field: "id",
        });
      }
      if (experiment.arms.length > 0) {
        await trx
          .insertInto("arms")
          .values(experiment.arms.map((arm, i) => armToRow(experiment.id, arm, i)))
          .execute();
      }
    });
  }

  async get(id: string): Promise<ExperimentRecord | undefined> {
    return getExperiment(this.#db, this.#dialect, id);
  }

  async list(options: { includeArchived?: boolean } = {}): Promise<ExperimentRecord[]> {
    const rows = await this.#db
      .selectFrom("experiments")
      .selectAll()
      .$if(options.includeArchived !== true, (qb) => qb.where("status", "<>", "archived"))
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return withArms(this.#db, this.#dialect, rows);
  }

  async changedSince(since: number): Promise<ExperimentRecord[]> {
    const rows = await this.#db
      .selectFrom("experiments")
      .selectAll()
      .where("updated_at", ">=", since)
      .orderBy("updated_at")
      .orderBy("id")
      .execute();
    return withArms(this.#db, this.#dialect, rows);
  }

  update(id: string, patch: ExperimentPatch, now: number): Promise<ExperimentRecord> {
    return this.#modify(id, async (trx, row) => {
      const config = withConfigDefaults(JSON.parse(row.config) as ExperimentConfig);
      for (const [key, value] of Object.entries(patch.config ?? {})) {
        if (value !== undefined) (config as unknown as Record<string, unknown>)[key] = value;
      }
      await trx
        .updateTable("experiments")
        .set({
          name: patch.name ?? row.name,
          status: patch.status ?? row.status,
          config: JSON.stringify(config),
          decay_landmark: patch.decayLandmark ?? row.decay_landmark,
          updated_at: now,
        })
        .where("id", "=", id)
        .execute();
    });
  }

  addArm(experimentId: string, arm: Arm, now: number): Promise<ExperimentRecord> {
    return this.#modify(experimentId, async (trx) => {
      const { last } = await trx
        .selectFrom("arms")
        .select((eb) => eb.fn.max("position").as("last"))
        .where("experiment_id", "=", experimentId)
        .executeTakeFirstOrThrow();
      const inserted = await trx
        .insertInto("arms")
        .values(armToRow(experimentId, arm, last === null ? 0 : Number(last) + 1))
        .onConflict((oc) => oc.columns(["experiment_id", "id"]).doNothing())
        .returning("id")
        .execute();
      if (inserted.length === 0) throw armExists(experimentId, arm.id);
      await touch(trx, experimentId, now);
    });
  }

  setArmState(experimentId: string, armId: string, state: ArmState, now: number): Promise<ExperimentRecord> {
    return this.#modify(experimentId, async (trx) => {
      const updated = await trx
        .updateTable("arms")
        .set({ state })
        .where("experiment_id", "=", experimentId)
        .where("id", "=", armId)
        .returning("id")
        .execute();
      if (updated.length === 0) {
        throw new BanditryError("BANDITRY_ARM_NOT_FOUND", `experiment ${experimentId} has no arm ${armId}`, {
          field: "armId",
        });
      }
      await touch(trx, experimentId, now);
    });
  }

  /** Read-modify-write of one experiment under its row lock; returns the record afterwards. */
  #modify(
    id: string,
    change: (trx: Kysely<Database>, row: Selectable<ExperimentsTable>) => Promise<void>,
  ): Promise<ExperimentRecord> {
    return withRetry(this.#dialect, () =>
      this.#db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom("experiments")
          .selectAll()
          .where("id", "=", id)
          .$if(this.#dialect.lockRows, (qb) => qb.forUpdate())
          .executeTakeFirst();
        if (row === undefined) throw notFound(id);
        await change(trx, row);
        return (await getExperiment(trx, this.#dialect, id))!;
      }),
    );
  }
}

async function getExperiment(
  db: Kysely<Database>,
  dialect: SqlDialect,
  id: string,
): Promise<ExperimentRecord | undefined> {
  const row = await db.selectFrom("experiments").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) return undefined;
  return (await withArms(db, dialect, [row]))[0];
}

async function withArms(
  db: Kysely<Database>,
  dialect: SqlDialect,
  rows: Selectable<ExperimentsTable>[],
): Promise<ExperimentRecord[]> {
  if (rows.length === 0) return [];
  const arms = await db
    .selectFrom("arms")
    .selectAll()
    .where(
      dialect.inList(
        "experiment_id",
        rows.map((r) => r.id),
      ),
    )
    .orderBy("experiment_id")
    .orderBy("position")
    .execute();
  const byExperiment = new Map<string, Arm[]>();
  for (const a of arms) {
    const list = byExperiment.get(a.experiment_id) ?? [];
    list.push(armFromRow(a));
    byExperiment.set(a.experiment_id, list);
  }
  return rows.map((r) => experimentFromRow(r, byExperiment.get(r.id) ?? []));
}

function touch(trx: Kysely<Database>, id: string, now: number): Promise<unknown> {
  return trx.updateTable("experiments").set({ updated_at: now }).where("id", "=", id).execute();
}

function experimentToRow(e: ExperimentRecord): Insertable<ExperimentsTable> {
  const { id, name, status, arms: _arms, createdAt, updatedAt, decayLandmark, ...config } = e;
  return {
    id,
    name,
    status,
    config: JSON.stringify(config satisfies ExperimentConfig),
    decay_landmark: decayLandmark,
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

function experimentFromRow(row: Selectable<ExperimentsTable>, arms: Arm[]): ExperimentRecord {
  return {
    // configurations stored before a field existed read with its default
    ...withConfigDefaults(JSON.parse(row.config) as ExperimentConfig),
    id: row.id,
    name: row.name,
    status: row.status as ExperimentStatus,
    arms,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    decayLandmark: row.decay_landmark,
  };
}

function armToRow(experimentId: string, arm: Arm, position: number): Insertable<ArmsTable> {
  return {
    experiment_id: experimentId,
    id: arm.id,
    position,
    label: arm.label,
    value: arm.value === undefined || arm.value === null ? null : JSON.stringify(arm.value),
    state: arm.state,
    created_at: arm.createdAt,
  };
}

function armFromRow(row: Selectable<ArmsTable>): Arm {
  return {
    id: row.id,
    label: row.label,
    value: row.value === null ? null : (JSON.parse(row.value) as unknown),
    state: row.state as ArmState,
    createdAt: row.created_at,
  };
}

function notFound(id: string): BanditryError {
  return new BanditryError("BANDITRY_EXPERIMENT_NOT_FOUND", `experiment ${id} does not exist`, {
    field: "experimentId",
  });
}

function armExists(experimentId: string, armId: string): BanditryError {
  return new BanditryError("BANDITRY_ARM_EXISTS", `experiment ${experimentId} already has an arm ${armId}`, {
    field: "armId",
  });
}

import type { Kysely, Selectable } from "kysely";
import type { ApiKeysTable, Database } from "./database.js";
import type { ApiKeyRecord, KeyStore, Scope } from "./stores.js";

export class KyselyKeyStore implements KeyStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async create(key: ApiKeyRecord): Promise<void> {
    await this.#db
      .insertInto("api_keys")
      .values({
        id: key.id,
        name: key.name,
        hash: key.hash,
        scopes: JSON.stringify(key.scopes),
        experiment_id: key.experimentId,
        created_at: key.createdAt,
        revoked_at: key.revokedAt,
      })
      .execute();
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.#db.selectFrom("api_keys").selectAll().where("hash", "=", hash).executeTakeFirst();
    return row === undefined ? undefined : keyFromRow(row);
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.#db.selectFrom("api_keys").selectAll().orderBy("created_at").orderBy("id").execute();
    return rows.map(keyFromRow);
  }

  async revoke(id: string, now: number): Promise<boolean> {
    const revoked = await this.#db
      .updateTable("api_keys")
      .set({ revoked_at: now })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .returning("id")
      .execute();
    if (revoked.length > 0) return true;
    const existing = await this.#db.selectFrom("api_keys").select("id").where("id", "=", id).executeTakeFirst();
    return existing !== undefined;
  }

  async count(): Promise<number> {
    const { n } = await this.#db
      .selectFrom("api_keys")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(n);
  }
}

function keyFromRow(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    scopes: JSON.parse(row.scopes) as Scope[],
    experimentId: row.experiment_id,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

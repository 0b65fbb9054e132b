import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import pg from "pg";
import { createStores } from "../../src/stores/create-stores.js";
import { migrations } from "../../src/stores/migrations/migrations.js";
import { createTestDatabase, postgresStores, postgresUnavailable } from "../helpers/postgres.js";
import { runAdsStoreContract } from "./ads-store-contract.js";
import { runStoreContract } from "./contract.js";
import { runEvaluationStoreContract } from "./evaluation-store-contract.js";
import { runLoopStoreContract } from "./loop-store-contract.js";

const unavailable = await postgresUnavailable();
const harness = postgresStores();
runStoreContract({
  name: "postgres",
  ...(unavailable === undefined ? {} : { skip: unavailable }),
  create: harness.create,
  createPeer: () => harness.create(),
  cleanup: harness.cleanup,
});

const adsHarness = postgresStores();
runAdsStoreContract({
  name: "postgres",
  ...(unavailable === undefined ? {} : { skip: unavailable }),
  create: adsHarness.create,
  createPeer: () => adsHarness.create(),
  cleanup: adsHarness.cleanup,
});

const loopHarness = postgresStores();
runLoopStoreContract({
  name: "postgres",
  ...(unavailable === undefined ? {} : { skip: unavailable }),
  create: loopHarness.create,
  cleanup: loopHarness.cleanup,
});

const evaluationHarness = postgresStores();
runEvaluationStoreContract({
  name: "postgres",
  ...(unavailable === undefined ? {} : { skip: unavailable }),
  create: evaluationHarness.create,
  cleanup: evaluationHarness.cleanup,
});

describe("postgres specifics", { skip: unavailable ?? false }, () => {
  const own = postgresStores();
  after(() => own.cleanup());

  it("several instances migrating one empty database at once all succeed, and the schema is applied once", async () => {
    const database = await createTestDatabase({ empty: true });
    const instances = await Promise.all(
      Array.from({ length: 4 }, () => createStores({ kind: "postgres", url: database.url, poolSize: 2 })),
    );
    try {
      await Promise.all(instances.map((s) => s.migrate()));
      await instances[0]!.migrate();
      const client = new pg.Client(database.url);
      await client.connect();
      try {
        const applied = await client.query("select name from banditry_migration order by name");
        assert.deepEqual(
          applied.rows.map((r) => r.name),
          Object.keys(migrations("postgres")),
        );
      } finally {
        await client.end();
      }
      // and the schema works
      await instances[1]!.keyStore.create({
        id: "k",
        name: "k",
        hash: "h",
        scopes: ["read"],
        experimentId: null,
        createdAt: 1,
        revokedAt: null,
      });
      assert.equal(await instances[2]!.keyStore.count(), 1);
    } finally {
      await Promise.all(instances.map((s) => s.close()));
      await database.drop();
    }
  });

  it("reads bigint columns as numbers", async () => {
    const stores = await own.create();
    const key = {
      id: "big",
      name: "big",
      hash: "big-hash",
      scopes: ["read" as const],
      experimentId: null,
      createdAt: 2 ** 52 + 1,
      revokedAt: null,
    };
    await stores.keyStore.create(key);
    const found = await stores.keyStore.findByHash("big-hash");
    assert.equal(typeof found?.createdAt, "number");
    assert.equal(found?.createdAt, 2 ** 52 + 1);
    assert.equal(typeof (await stores.keyStore.count()), "number");
    await stores.close();
  });
});

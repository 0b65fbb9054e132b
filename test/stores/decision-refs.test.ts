import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createStores } from "../../src/stores/create-stores.js";
import type { Stores } from "../../src/stores/stores.js";
import { postgresStores, postgresUnavailable } from "../helpers/postgres.js";
import { sqliteStores, tempDataDir } from "../helpers/sqlite.js";
import { decision, experiment } from "./fixtures.js";

/** EventStore.decisionRefs, the reward path's narrow lookup, on every store. */
const unavailable = await postgresUnavailable();
const sqlite = sqliteStores();
const postgres = postgresStores();
const workerDirs: { remove(): Promise<void> }[] = [];
after(async () => {
  await sqlite.cleanup();
  await postgres.cleanup();
  for (const d of workerDirs) await d.remove();
});

const harnesses: { name: string; create(): Promise<Stores>; skip?: string }[] = [
  { name: "sqlite", create: () => sqlite.create() },
  { name: "postgres", create: () => postgres.create(), ...(unavailable === undefined ? {} : { skip: unavailable }) },
  {
    name: "sqlite in a worker thread",
    async create() {
      const dir = await tempDataDir();
      workerDirs.push(dir);
      const stores = await createStores({ kind: "sqlite", dataDir: dir.dir, synchronous: "NORMAL", worker: true });
      await stores.migrate();
      return stores;
    },
  },
];

for (const h of harnesses) {
  describe(`decisionRefs: ${h.name}`, { skip: h.skip }, () => {
    it("answers the decision's experiment, segment, arm, group and activation, and nothing for unknown ids", async () => {
      const stores = await h.create();
      try {
        await stores.experimentStore.create(experiment("refs"));
        const active = decision("refs-1", "refs", { segment: "country=fr", armId: "b", group: "control" });
        const inactive = decision("refs-2", "refs", { activated: false });
        await stores.eventStore.commit({
          decisions: [active, inactive],
          rewards: [],
          activations: [],
          now: 3000,
          rewardWaitMs: {},
        });
        const refs = await stores.eventStore.decisionRefs(["refs-1", "missing", "refs-2", "refs-1"]);
        assert.ok(refs instanceof Map);
        assert.deepEqual(
          [...refs.entries()].sort(([a], [b]) => a.localeCompare(b)),
          [
            ["refs-1", { experimentId: "refs", segment: "country=fr", armId: "b", group: "control", activated: true }],
            ["refs-2", { experimentId: "refs", segment: "country=de", armId: "a", group: "bandit", activated: false }],
          ],
        );
        assert.equal((await stores.eventStore.decisionRefs([])).size, 0);
        await stores.eventStore.commit({
          decisions: [],
          rewards: [],
          activations: ["refs-2"],
          now: 4000,
          rewardWaitMs: {},
        });
        assert.equal((await stores.eventStore.decisionRefs(["refs-2"])).get("refs-2")?.activated, true);
      } finally {
        await stores.close();
      }
    });
  });
}

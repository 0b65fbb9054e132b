import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createEvaluationService, DEFAULT_STALE_AFTER_MS } from "../../src/evaluation/create-evaluation-service.js";
import type { EvaluationRecord } from "../../src/evaluation/evaluation-types.js";
import { createStores } from "../../src/stores/create-stores.js";
import type { Stores } from "../../src/stores/stores.js";
import { tempDataDir } from "../helpers/sqlite.js";
import { uniformLog } from "./synthetic-log.js";

const tmp = tempDataDir();
after(async () => (await tmp).remove());

async function open(): Promise<Stores> {
  const stores = await createStores({ kind: "sqlite", dataDir: (await tmp).dir, synchronous: "NORMAL" });
  await stores.migrate();
  return stores;
}

describe("evaluations across restarts", () => {
  it("a finished evaluation survives a restart; an interrupted one is marked failed; close stops runs", async () => {
    const first = await open();
    await uniformLog(first, "ab", 3000, 100);
    const service = createEvaluationService({ stores: first });
    const done = await service.run({ experimentId: "ab", name: "kept", policies: [{ name: "fixed:b" }] });
    assert.equal(done.status, "succeeded", JSON.stringify(done.error));

    // a run in progress when the service closes stops at its next slice and is recorded failed
    const long = await service.create({
      experimentId: "ab",
      policies: [{ name: "thompson", arguments: { draws: 2000 } }],
    });
    assert.equal(long.status, "pending");
    const closing = Date.now();
    await service.close();
    assert.ok(Date.now() - closing < 3000, `close did not wait for the whole run (${Date.now() - closing} ms)`);
    await assert.rejects(service.create({ experimentId: "ab", policies: [{ name: "uniform" }] }), {
      code: "BANDITRY_UNAVAILABLE",
    });

    // a record left running by a process that died (written as that process would have)
    const t = Date.now();
    const orphan: EvaluationRecord = { ...done, id: "orphan", status: "running", results: null, finishedAt: null };
    await first.evaluationStore.create(orphan, t);
    await first.close();

    const second = await open();
    try {
      // just after the restart the orphan's heartbeat is fresh: it might still run elsewhere
      const soon = createEvaluationService({ stores: second, now: () => t + 1000 });
      assert.equal((await soon.get("orphan")).status, "running");
      await soon.close();
      const later = createEvaluationService({ stores: second, now: () => t + DEFAULT_STALE_AFTER_MS + 1000 });
      const kept = await later.get(done.id);
      assert.deepEqual(kept, JSON.parse(JSON.stringify(done)), "the finished record, as it was");
      const failed = await later.get("orphan");
      assert.equal(failed.status, "failed");
      assert.equal(failed.error?.code, "BANDITRY_UNAVAILABLE");
      assert.match(failed.error!.message, /stopped before it finished/);
      const stopped = await later.get(long.id);
      assert.equal(stopped.status, "failed", JSON.stringify(stopped));
      assert.match(stopped.error!.message, /shut down/);
      assert.deepEqual(
        (await later.list("ab")).map((r) => r.status).sort(),
        ["failed", "failed", "succeeded"],
        "list shows all three",
      );
      await later.close();
    } finally {
      await second.close();
    }
  });
});

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createEngine } from "../../../src/engine/engine.js";
import type { Stores } from "../../../src/stores/stores.js";
import { postgresStores, postgresUnavailable } from "../../helpers/postgres.js";
import { sqliteStores } from "../../helpers/sqlite.js";
import { startServiceEnv } from "./helpers/service-env.js";

const DAY = 86_400_000;
const unavailable = await postgresUnavailable();

describe("ads scheduler on SQLite", () => {
  const harness = sqliteStores();
  after(() => harness.cleanup());

  it("runs a due schedule (sync → optimize → autoExecute), then waits for its cadence", async () => {
    const env = await startServiceEnv(await harness.create());
    try {
      const schedule = await env.service.createSchedule({
        profileId: env.ads.profileId,
        cadence: "daily",
        autoExecute: true,
        minConfidence: 0,
      });
      const scheduler = env.scheduler(env.service, { instanceId: "only" });
      const first = await scheduler.tick();
      assert.equal(first.leader, true);
      assert.equal(first.runs.length, 1, JSON.stringify(first.runs));
      assert.equal(first.runs[0]!.error, null);
      const plan = await env.service.getPlan(first.runs[0]!.planId!);
      assert.equal(plan.status, "executed");
      assert.equal(plan.settings["scheduleId"], schedule.id);
      assert.ok(
        plan.items.some((i) => i.execution === "succeeded"),
        "autoExecute pushed the changes",
      );
      const stored = await env.service.getSchedule(schedule.id);
      assert.equal(stored.lastPlanId, plan.id);
      assert.equal(stored.nextRunAt, schedule.nextRunAt + DAY);

      assert.equal((await scheduler.tick()).runs.length, 0, "not due again yet");
      env.ads.clock.advance(DAY);
      env.ads.marketplace.advanceDays(1);
      assert.equal((await scheduler.tick()).runs.length, 1, "due after a day");

      await env.service.updateSchedule(schedule.id, { enabled: false });
      env.ads.clock.advance(2 * DAY);
      assert.equal((await scheduler.tick()).runs.length, 0, "a disabled schedule does not run");
    } finally {
      await env.close();
    }
  });
});

describe("ads scheduler: two instances on one PostgreSQL", { skip: unavailable ?? false }, () => {
  const harness = postgresStores();
  after(() => harness.cleanup());

  it("exactly one leads and runs the schedule; the other takes over once the lease expires", async () => {
    const stores: Stores = await harness.create();
    const env = await startServiceEnv(stores);
    const otherStores = await harness.create();
    const otherEngine = createEngine({
      stores: otherStores,
      options: { seed: 4, refreshIntervalMs: 0, defaultRewardIntervalMs: 0, flushIntervalMs: 1 },
    });
    await otherEngine.start();
    try {
      const other = env.newService({}, { stores: otherStores, engine: otherEngine });
      const leaseMs = 60_000;
      const a = env.scheduler(env.service, { instanceId: "a", leaseMs });
      const b = env.scheduler(other, { instanceId: "b", leaseMs });
      await env.service.createSchedule({ profileId: env.ads.profileId, cadence: "hourly" });

      const [ta, tb] = await Promise.all([a.tick(), b.tick()]);
      assert.equal([ta.leader, tb.leader].filter(Boolean).length, 1, `one leader: a ${ta.leader}, b ${tb.leader}`);
      assert.equal(ta.runs.length + tb.runs.length, 1, "the schedule ran once");
      const [leader, follower] = ta.leader ? [a, b] : [b, a];
      assert.equal((await env.service.listPlans()).length, 1);

      // the leader renews; the follower stays out while the lease lives
      for (let i = 0; i < 3; i++) {
        env.ads.clock.advance(leaseMs / 2);
        const [l, f] = await Promise.all([leader.tick(), follower.tick()]);
        assert.deepEqual([l.leader, f.leader], [true, false], `round ${i}`);
      }
      // the leader dies (no release): once its lease expires, the other takes over and runs what is due
      env.ads.clock.advance(leaseMs + 3_600_000);
      const took = await follower.tick();
      assert.equal(took.leader, true);
      assert.equal(took.runs.length, 1, JSON.stringify(took.runs));
      assert.equal((await env.service.listPlans()).length, 2);
    } finally {
      await env.close();
      await otherEngine.close();
    }
  });
});

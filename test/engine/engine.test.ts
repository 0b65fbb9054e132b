import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { BanditryError } from "../../src/domain/errors.js";
import { createEngine, type Engine, type EngineOptions } from "../../src/engine/engine.js";
import { createStores } from "../../src/stores/create-stores.js";
import type { Stores } from "../../src/stores/stores.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function setup(options: Partial<EngineOptions> = {}, dir?: string) {
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), "banditry-engine-"));
  if (!dir) dirs.push(dataDir);
  const stores: Stores = await createStores({ kind: "sqlite", dataDir, synchronous: "NORMAL" });
  await stores.migrate();
  const clock = { t: 1_700_000_000_000 };
  const engine = createEngine({
    stores,
    now: () => clock.t,
    options: { seed: 1, refreshIntervalMs: 0, defaultRewardIntervalMs: 0, flushIntervalMs: 1, ...options },
  });
  await engine.start();
  const close = async () => {
    await engine.close();
    await stores.close();
  };
  return { engine, stores, clock, dataDir, close };
}

const arms3 = [{ id: "a" }, { id: "b", value: { multiplier: 1.2 } }, { id: "c" }];

async function rejects(p: Promise<unknown>, code: string, field?: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof BanditryError, `expected a BanditryError, got ${String(e)}`);
    assert.equal(e.code, code);
    if (field !== undefined) assert.equal(e.field, field);
    return true;
  });
}

async function learn(
  engine: Engine,
  experimentId: string,
  rates: Record<string, number>,
  n: number,
  rng = mulberry(3),
) {
  for (let i = 0; i < n; i++) {
    const d = await engine.decide({ experimentId });
    await engine.reward(d.eventId, rng() < rates[d.arm.id]! ? 1 : 0);
  }
}

function mulberry(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("engine", () => {
  it("creates an experiment, decides, rewards and learns the best arm", async () => {
    const { engine, close } = await setup();
    const exp = await engine.createExperiment({ id: "e1", arms: arms3, reward: "bernoulli" });
    assert.equal(exp.policy, "thompson");
    assert.deepEqual(
      exp.arms.map((a) => a.state),
      ["active", "active", "active"],
    );
    await learn(engine, "e1", { a: 0.1, b: 0.6, c: 0.2 }, 400);
    const stats = await engine.stats("e1");
    const global = stats.segments[0]!;
    assert.equal(global.segment, "*");
    const pulls = global.arms.reduce((s, a) => s + a.pulls, 0);
    assert.equal(pulls, 400);
    const b = global.arms.find((a) => a.armId === "b")!;
    assert.ok(b.pulls > 250, `best arm pulled ${b.pulls} of 400`);
    assert.ok(b.probabilityBest > 0.9);
    assert.ok(b.lower < b.mean && b.mean < b.upper);
    assert.equal(stats.groups.find((g) => g.group === "bandit")!.decisions, 400);
    await close();
  });

  it("validates input with field names", async () => {
    const { engine, close } = await setup();
    await rejects(engine.createExperiment({ id: "x", arms: [], reward: "poisson" }), "BANDITRY_VALIDATION", "reward");
    await rejects(
      engine.createExperiment({ id: "x", arms: [{ id: "a" }, { id: "a" }], reward: "bernoulli" }),
      "BANDITRY_VALIDATION",
      "arms[1].id",
    );
    await rejects(
      engine.createExperiment({ id: "x", arms: arms3, reward: "bernoulli", prior: { alpha: 0 } }),
      "BANDITRY_VALIDATION",
      "prior.alpha",
    );
    await rejects(
      engine.createExperiment({ id: "x", arms: arms3, reward: "bernoulli", policy: "greedy" }),
      "BANDITRY_VALIDATION",
      "policy",
    );
    await rejects(
      engine.createExperiment({ id: "x", arms: arms3, reward: "bernoulli", control: { share: 0.1, arm: "zz" } }),
      "BANDITRY_VALIDATION",
      "control.arm",
    );
    await engine.createExperiment({ id: "x", arms: arms3, reward: "bernoulli" });
    await rejects(engine.createExperiment({ id: "x", arms: arms3, reward: "bernoulli" }), "BANDITRY_EXPERIMENT_EXISTS");
    await rejects(engine.decide({ experimentId: "nope" }), "BANDITRY_EXPERIMENT_NOT_FOUND");
    await rejects(engine.decide({ experimentId: "x", k: 4 }), "BANDITRY_K_EXCEEDS_ARMS", "k");
    await rejects(engine.decide({ experimentId: "x", eventId: "e".repeat(257) }), "BANDITRY_VALIDATION", "eventId");
    const d = await engine.decide({ experimentId: "x" });
    await rejects(engine.reward(d.eventId, 1.5), "BANDITRY_INVALID_REWARD", "value");
    await rejects(engine.reward(d.eventId, Number.NaN), "BANDITRY_INVALID_REWARD", "value");
    await rejects(engine.reward("missing", 1), "BANDITRY_EVENT_NOT_FOUND", "eventId");
    await close();
  });

  it("refuses a second reward under earliest and sums under sum", async () => {
    const { engine, close } = await setup();
    await engine.createExperiment({ id: "early", arms: arms3, reward: "bernoulli" });
    await engine.createExperiment({ id: "summed", arms: arms3, reward: "gaussian", rewardAggregation: "sum" });
    const d1 = await engine.decide({ experimentId: "early", eventId: "ev-1" });
    await rejects(engine.decide({ experimentId: "early", eventId: "ev-1" }), "BANDITRY_EVENT_EXISTS");
    await engine.reward(d1.eventId, 1);
    await rejects(engine.reward(d1.eventId, 0), "BANDITRY_REWARD_EXISTS");
    const d2 = await engine.decide({ experimentId: "summed" });
    await engine.reward(d2.eventId, 3);
    await engine.reward(d2.eventId, 4.5);
    const s1 = (await engine.stats("early")).segments[0]!.arms.find((a) => a.armId === d1.arm.id)!;
    assert.equal(s1.rewards, 1);
    assert.equal(s1.rewardSum, 1);
    const s2 = (await engine.stats("summed")).segments[0]!.arms.find((a) => a.armId === d2.arm.id)!;
    assert.equal(s2.rewards, 2);
    assert.equal(s2.rewardSum, 7.5);
    await close();
  });

  it("batch rewards report a status per item", async () => {
    const { engine, close } = await setup();
    await engine.createExperiment({ id: "b", arms: arms3, reward: "bernoulli" });
    const d = await engine.decide({ experimentId: "b" });
    const res = await engine.rewardBatch([
      { eventId: d.eventId, value: 1 },
      { eventId: d.eventId, value: 1 },
      { eventId: "nope", value: 1 },
      { eventId: 42, value: 1 },
      { eventId: d.eventId, value: 7 },
    ]);
    assert.deepEqual(
      res.map((r) => r.status),
      ["applied", "duplicate", "unknown", "invalid", "invalid"],
    );
    assert.equal(res[4]!.error!.code, "BANDITRY_INVALID_REWARD");
    // a later batch repeating the reward gets the same status as a repeat within one batch
    const again = await engine.rewardBatch([{ eventId: d.eventId, value: 0 }]);
    assert.deepEqual(again, [{ eventId: d.eventId, status: "duplicate" }]);
    await close();
  });

  it("counts a deferred decision only once activated", async () => {
    const { engine, close } = await setup();
    await engine.createExperiment({ id: "d", arms: [{ id: "only" }], reward: "bernoulli" });
    const d = await engine.decide({ experimentId: "d", activate: false });
    await engine.reward(d.eventId, 1);
    let arm = (await engine.stats("d")).segments[0]!.arms[0]!;
    assert.equal(arm.rewards, 0);
    assert.equal(arm.mean, 0.5);
    await engine.activate(d.eventId);
    arm = (await engine.stats("d")).segments[0]!.arms[0]!;
    assert.equal(arm.rewards, 1);
    assert.ok(Math.abs(arm.mean - 2 / 3) < 1e-12);
    await engine.activate(d.eventId); // idempotent
    await rejects(engine.activate("missing"), "BANDITRY_EVENT_NOT_FOUND");
    await close();
  });

  it("applies the default reward after the wait, also after a restart", async () => {
    const first = await setup();
    await first.engine.createExperiment({
      id: "w",
      arms: [{ id: "only" }],
      reward: "bernoulli",
      rewardWaitSeconds: 60,
      defaultReward: 0,
    });
    const rewarded = await first.engine.decide({ experimentId: "w" });
    await first.engine.reward(rewarded.eventId, 1);
    await first.engine.decide({ experimentId: "w" });
    await first.engine.decide({ experimentId: "w" });
    await first.close();
    const second = await setup({}, first.dataDir);
    second.clock.t = first.clock.t + 30_000;
    assert.equal(await second.engine.applyDueDefaultRewards(), 0);
    second.clock.t = first.clock.t + 61_000;
    assert.equal(await second.engine.applyDueDefaultRewards(), 2);
    assert.equal(await second.engine.applyDueDefaultRewards(), 0);
    const arm = (await second.engine.stats("w")).segments[0]!.arms[0]!;
    assert.equal(arm.rewards, 3);
    assert.equal(arm.rewardSum, 1);
    await second.close();
  });

  it("keeps posteriors across a restart", async () => {
    const first = await setup();
    await first.engine.createExperiment({ id: "r", arms: arms3, reward: "bernoulli", segmentKeys: ["country"] });
    for (let i = 0; i < 60; i++) {
      const d = await first.engine.decide({ experimentId: "r", context: { country: i % 2 ? "de" : "fr" } });
      await first.engine.reward(d.eventId, i % 3 === 0 ? 1 : 0);
    }
    const before = await first.engine.stats("r");
    await first.close();
    const second = await setup({}, first.dataDir);
    const after = await second.engine.stats("r");
    const strip = (s: typeof before) =>
      s.segments.map((g) => ({
        segment: g.segment,
        arms: g.arms.map((a) => [a.armId, a.pulls, a.rewards, a.rewardSum, a.mean]),
      }));
    assert.deepEqual(strip(after), strip(before));
    await second.close();
  });

  it("lets a new segment borrow from the experiment and its own data dominate later", async () => {
    const { engine, close } = await setup();
    await engine.createExperiment({
      id: "s",
      arms: [{ id: "x" }, { id: "y" }],
      reward: "bernoulli",
      segmentKeys: ["t"],
      segmentPseudoCount: 10,
    });
    for (let i = 0; i < 300; i++) {
      const d = await engine.decide({ experimentId: "s", context: { t: "old" } });
      await engine.reward(d.eventId, d.arm.id === "x" ? 1 : 0);
    }
    // a brand-new segment starts from the experiment's knowledge: x is preferred at once
    let xs = 0;
    for (let i = 0; i < 50; i++) {
      const d = await engine.decide({ experimentId: "s", context: { t: "new" } });
      if (d.arm.id === "x") xs++;
      await engine.reward(d.eventId, d.arm.id === "y" ? 1 : 0); // but here y is the better arm
    }
    assert.ok(xs > 5, `borrowed preference for x in the first decisions: ${xs}`);
    const newSeg = (await engine.stats("s")).segments.find((g) => g.segment === "t=new")!;
    assert.ok(newSeg, "segment listed");
    // after its own evidence, the new segment prefers y
    const y = newSeg.arms.find((a) => a.armId === "y")!;
    const x = newSeg.arms.find((a) => a.armId === "x")!;
    assert.ok(y.mean > x.mean, `segment means y ${y.mean} > x ${x.mean}`);
    await close();
  });

  it("holds out a deterministic control group by unit id", async () => {
    const { engine, close } = await setup();
    await engine.createExperiment({ id: "ab", arms: arms3, reward: "bernoulli", control: { share: 0.3, arm: "c" } });
    let control = 0;
    for (let u = 0; u < 400; u++) {
      const d1 = await engine.decide({ experimentId: "ab", unitId: `user-${u}` });
      const d2 = await engine.decide({ experimentId: "ab", unitId: `user-${u}` });
      assert.equal(d1.group, d2.group, "a unit keeps its group");
      if (d1.group === "control") {
        control++;
        assert.equal(d1.arm.id, "c");
        assert.equal(d1.propensity, 1);
        await engine.reward(d1.eventId, 0);
      } else {
        await engine.reward(d1.eventId, 1);
      }
    }
    assert.ok(control > 80 && control < 160, `control share ${control}/400`);
    const stats = await engine.stats("ab");
    assert.ok(stats.uplift !== null && stats.uplift.lower > 0.5);
    assert.equal(stats.groups.find((g) => g.group === "control")!.mean, 0);
    await close();
  });

  it("adds, pauses and retires arms live", async () => {
    const { engine, close } = await setup();
    await engine.createExperiment({ id: "live", arms: [{ id: "a" }, { id: "b" }], reward: "bernoulli" });
    await learn(engine, "live", { a: 0.5, b: 0.5 }, 20);
    await engine.setArmState("live", "a", { state: "paused" });
    for (let i = 0; i < 20; i++) assert.equal((await engine.decide({ experimentId: "live" })).arm.id, "b");
    await engine.addArm("live", { id: "c", value: { m: 1 } });
    await rejects(engine.addArm("live", { id: "c" }), "BANDITRY_ARM_EXISTS");
    await engine.setArmState("live", "b", { state: "retired" });
    const d = await engine.decide({ experimentId: "live" });
    assert.deepEqual(d.arm, { id: "c", value: { m: 1 } });
    const stats = await engine.stats("live");
    assert.equal(stats.segments[0]!.arms.find((a) => a.armId === "b")!.state, "retired");
    assert.ok(stats.segments[0]!.arms.find((a) => a.armId === "a")!.pulls > 0, "paused arm kept its data");
    await rejects(engine.setArmState("live", "zz", { state: "active" }), "BANDITRY_ARM_NOT_FOUND");
    await close();
  });

  it("ranks k arms with propensities and replays a decision from its seed", async () => {
    const a = await setup({ seed: 99 });
    const b = await setup({ seed: 99 });
    for (const s of [a, b]) await s.engine.createExperiment({ id: "k", arms: arms3, reward: "bernoulli" });
    const da = await a.engine.decide({ experimentId: "k", k: 3, eventId: "same" });
    const db = await b.engine.decide({ experimentId: "k", k: 3, eventId: "same" });
    assert.equal(da.seed, db.seed);
    assert.deepEqual(da.ranking, db.ranking);
    assert.equal(new Set(da.ranking!.map((r) => r.armId)).size, 3);
    const total = da.ranking!.reduce((s, r) => s + r.probability, 0);
    assert.ok(Math.abs(total - 1) < 1e-9);
    await a.close();
    await b.close();
  });

  it("decays old evidence toward the prior", async () => {
    const { engine, clock, close } = await setup();
    await engine.createExperiment({ id: "decay", arms: [{ id: "only" }], reward: "bernoulli", decayHalfLife: 3600 });
    for (let i = 0; i < 20; i++) {
      const d = await engine.decide({ experimentId: "decay" });
      await engine.reward(d.eventId, 1);
    }
    const fresh = (await engine.stats("decay")).segments[0]!.arms[0]!;
    assert.ok(Math.abs(fresh.mean - 21 / 22) < 1e-9);
    clock.t += 3600_000;
    const later = (await engine.stats("decay")).segments[0]!.arms[0]!;
    assert.ok(Math.abs(later.mean - 11 / 12) < 1e-9, `after one half-life Beta(11, 1): ${later.mean}`);
    assert.equal(later.pulls, 20, "raw counts do not decay");
    await close();
  });

  it("archives an experiment: no new decisions, rewards for old ones still count", async () => {
    const { engine, close } = await setup();
    await engine.createExperiment({ id: "arch", arms: arms3, reward: "bernoulli" });
    const d = await engine.decide({ experimentId: "arch" });
    const archived = await engine.archiveExperiment("arch");
    assert.equal(archived.status, "archived");
    await rejects(engine.decide({ experimentId: "arch" }), "BANDITRY_EXPERIMENT_ARCHIVED");
    await engine.reward(d.eventId, 1);
    assert.equal((await engine.listExperiments()).length, 0);
    assert.equal((await engine.listExperiments({ includeArchived: true })).length, 1);
    await close();
  });
});

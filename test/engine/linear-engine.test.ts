import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { BanditryError } from "../../src/domain/errors.js";
import { ContextualWorld } from "../../src/stats/linear/contextual-world.js";
import { createRng } from "../../src/stats/rng.js";
import { learnedAtLeast, linearId, startEngine, storeKinds } from "./linear-harness.js";

const kinds = await storeKinds();

async function rejects(p: Promise<unknown>, code: string, field?: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof BanditryError, `expected a BanditryError, got ${String(e)}`);
    assert.equal(e.code, code, `code of: ${e.message}`);
    if (field !== undefined) assert.equal(e.field, field, `field of: ${e.message}`);
    return true;
  });
}

const offer = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `a${i}`, features: { slot: i % 2 } }));

for (const kind of kinds) {
  describe(`linear engine: ${kind.name}`, { skip: kind.skip }, () => {
    after(() => kind.cleanup());

    it("creates arms on first sight, ranks every offered action in order, and logs the features", async () => {
      const stores = await kind.create();
      const engine = await startEngine(stores);
      const id = linearId();
      await engine.createExperiment({ id, reward: "bernoulli", context: "linear", arms: [] });
      const actions = offer(3);
      const ctx = [{ user: { type: "new" } }];
      // two requests seeing the same new ids at once: neither fails
      const [d1, d2] = await Promise.all([
        engine.decide({ experimentId: id, actions, contextFeatures: ctx }),
        engine.decide({ experimentId: id, actions, contextFeatures: ctx }),
      ]);
      for (const d of [d1!, d2!]) {
        assert.deepEqual(
          d.ranking?.map((r) => r.armId),
          ["a0", "a1", "a2"],
          "ranking lists the offered actions in offered order",
        );
        const sum = d.ranking!.reduce((s, r) => s + r.probability, 0);
        assert.ok(Math.abs(sum - 1) < 1e-9, `probabilities sum to 1, got ${sum}`);
        assert.equal(d.propensity, d.ranking!.find((r) => r.armId === d.arm.id)!.probability, "propensity = served p");
      }
      const experiment = await engine.getExperiment(id);
      assert.deepEqual(experiment.arms.map((a) => a.id).sort(), ["a0", "a1", "a2"], "each action became one arm");
      const logged = (await stores.eventStore.getDecisions([d1!.eventId])).get(d1!.eventId)!;
      assert.deepEqual(logged.features, { context: ctx, actions, excluded: [] }, "features logged");
      await engine.close();
    });

    it("excluded actions get probability 0, stay listed and are never chosen; all excluded is a clear error", async () => {
      const stores = await kind.create();
      const engine = await startEngine(stores);
      const id = linearId();
      await engine.createExperiment({ id, reward: "bernoulli", context: "linear", arms: [] });
      const actions = offer(4);
      for (let i = 0; i < 30; i++) {
        const d = await engine.decide({ experimentId: id, actions, excludedActions: ["a1", "a3"] });
        assert.ok(d.arm.id === "a0" || d.arm.id === "a2", `never an excluded action, got ${d.arm.id}`);
        assert.equal(d.ranking!.length, 4, "excluded actions stay listed");
        assert.equal(d.ranking!.find((r) => r.armId === "a1")!.probability, 0, "a1 excluded: p = 0");
        assert.equal(d.ranking!.find((r) => r.armId === "a3")!.probability, 0, "a3 excluded: p = 0");
      }
      await rejects(
        engine.decide({ experimentId: id, actions, excludedActions: ["a0", "a1", "a2", "a3"] }),
        "BANDITRY_NO_ACTIVE_ARMS",
        "excludedActions",
      );
      await rejects(engine.decide({ experimentId: id, actions: [] }), "BANDITRY_VALIDATION", "actions");
      await rejects(
        engine.decide({ experimentId: id, actions: [{ id: "x" }, { id: "x" }] }),
        "BANDITRY_VALIDATION",
        "actions[1].id",
      );
      await rejects(
        engine.decide({ experimentId: id, actions: [{ id: "x".repeat(257) }] }),
        "BANDITRY_VALIDATION",
        "actions[0].id",
      );
      await engine.close();
    });

    it("mixes exploration: p = (1 − ε)·p_model + ε/m, and serves uniformly with probability ε", async () => {
      const stores = await kind.create();
      const engine = await startEngine(stores);
      const id = linearId();
      const eps = 0.3;
      // a greedy model (exploration 0): p_model is 1 for its best action
      await engine.createExperiment({
        id,
        reward: "bernoulli",
        context: "linear",
        arms: [],
        explorationShare: eps,
        linear: { exploration: 0 },
      });
      const actions = offer(4);
      const m = 4;
      // teach it a0: a greedy model then puts p_model = 1 on a0
      for (let i = 0; i < 20; i++) {
        const d = await engine.decide({ experimentId: id, actions });
        await engine.reward(d.eventId, d.arm.id === "a0" ? 1 : 0);
      }
      await learnedAtLeast(engine, id, 20);
      // the ranks use the model's posterior draw pool, redrawn at most every poolRefreshMs (100) unless
      // poolRefreshRewards (100) were learned first: on this test clock, let the time limit pass
      engine.clock.t += 1000;
      let best: string | undefined;
      let other = 0;
      const n = 300;
      for (let i = 0; i < n; i++) {
        const d = await engine.decide({ experimentId: id, actions });
        const sorted = [...d.ranking!].sort((a, b) => b.probability - a.probability);
        assert.ok(Math.abs(sorted[0]!.probability - (1 - eps + eps / m)) < 1e-9, `top p ${sorted[0]!.probability}`);
        for (const r of sorted.slice(1))
          assert.ok(Math.abs(r.probability - eps / m) < 1e-9, `other p ${r.probability}`);
        best ??= sorted[0]!.armId;
        assert.equal(sorted[0]!.armId, "a0", "the greedy model's best action");
        if (d.arm.id !== best) other++;
      }
      const expected = (eps * (m - 1)) / m; // 0.225
      const share = other / n;
      assert.ok(Math.abs(share - expected) < 0.08, `served others ${share}, expected ≈ ${expected}`);
      await engine.close();
    });

    it("learns the contextual world to a high share of the optimal reward", async () => {
      const stores = await kind.create();
      const engine = await startEngine(stores);
      const id = linearId();
      await engine.createExperiment({ id, reward: "bernoulli", context: "linear", arms: [] });
      const world = new ContextualWorld({}, createRng(11));
      const users = createRng(12);
      const outcomes = createRng(13);
      const total = kind.name === "sqlite" ? 3000 : 2000;
      const block = 20;
      let got = 0;
      let optimal = 0;
      for (let start = 0; start < total; start += block) {
        const users_ = Array.from({ length: block }, () => world.context(users));
        const decisions = await Promise.all(
          users_.map((u) => engine.decide({ experimentId: id, actions: world.actions, contextFeatures: u.features })),
        );
        const rewards = decisions.map((d, i) => {
          const type = users_[i]!.type;
          const a = Number(d.arm.id.slice(1));
          const value = world.reward(type, a, outcomes);
          if (start >= total - 1000) {
            got += world.p[type]![a]!;
            optimal += world.p[type]![world.bestAction(type)]!;
          }
          return { eventId: d.eventId, value };
        });
        await engine.rewardBatch(rewards);
        await learnedAtLeast(engine, id, start + block);
        // 200 decisions a second: the rank's posterior draw pool is redrawn after each block
        // (poolRefreshMs 100); a clock that never moves would redraw only every 100 rewards
        engine.clock.t += 100;
      }
      const share = got / optimal;
      assert.ok(share >= 0.8, `expected ≥ 80% of the optimal reward over the last 1000 events, got ${share}`);
      const stats = await engine.stats(id);
      assert.equal(stats.linear?.learnedRewards, total, "every reward learned once");
      assert.ok(stats.linear!.topFeatures.length > 0, "top features listed");
      await engine.close();
    });

    it("apprentice mode serves the baseline with propensity 1, logs the model's choice and counts agreement", async () => {
      const stores = await kind.create();
      const engine = await startEngine(stores);
      const id = linearId();
      await engine.createExperiment({
        id,
        reward: "bernoulli",
        context: "linear",
        arms: [],
        learningMode: "apprentice",
      });
      const actions = offer(3);
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const d = await engine.decide({
          experimentId: id,
          actions,
          ...(i % 2 === 0 ? {} : { baselineAction: "a2" }),
          excludedActions: ["a1"],
        });
        assert.equal(d.arm.id, i % 2 === 0 ? "a0" : "a2", "the baseline is served");
        assert.equal(d.propensity, 1, "propensity 1 for the baseline");
        ids.push(d.eventId);
        await engine.reward(d.eventId, 1);
      }
      const logged = await stores.eventStore.getDecisions(ids);
      let agreed = 0;
      for (const d of logged.values()) {
        const m = d.features?.modelArmId;
        assert.ok(m === "a0" || m === "a2", `model's own choice logged, not excluded: ${m}`);
        if (m === d.armId) agreed++;
      }
      await learnedAtLeast(engine, id, 20);
      const stats = await engine.stats(id);
      assert.deepEqual(stats.linear?.apprentice, { decisions: 20, agreed }, "agreement over rewarded decisions");
      await engine.close();
    });

    it("logging-only mode serves the baseline and never learns; deferred activation learns only once activated", async () => {
      const stores = await kind.create();
      const engine = await startEngine(stores);
      const logOnly = linearId();
      await engine.createExperiment({
        id: logOnly,
        reward: "bernoulli",
        context: "linear",
        arms: [],
        learningMode: "loggingOnly",
      });
      for (let i = 0; i < 10; i++) {
        const d = await engine.decide({ experimentId: logOnly, actions: offer(3) });
        assert.equal(d.arm.id, "a0", "the first offered action is the default baseline");
        await engine.reward(d.eventId, 1);
      }
      await engine.refresh();
      assert.equal((await engine.exportModel(logOnly)).learnedRewards, 0, "logging only: nothing learned");

      const deferred = linearId();
      await engine.createExperiment({ id: deferred, reward: "gaussian", context: "linear", arms: [] });
      const d = await engine.decide({ experimentId: deferred, actions: offer(2), activate: false });
      await engine.reward(d.eventId, 0.7);
      await engine.refresh();
      assert.equal((await engine.exportModel(deferred)).learnedRewards, 0, "a reward before activation waits");
      engine.clock.t += 1000;
      await engine.activate(d.eventId);
      const learned = await learnedAtLeast(engine, deferred, 1);
      assert.equal(learned.learnedRewards, 1, "learned once activated");
      await engine.close();
    });

    it("a restart replays the log's tail after the snapshot to the same model", async () => {
      const stores = await kind.create();
      const options = { linear: { snapshotEveryRewards: 25 } };
      const engine = await startEngine(stores, options);
      const id = linearId();
      await engine.createExperiment({ id, reward: "bernoulli", context: "linear", arms: [] });
      const world = new ContextualWorld({}, createRng(3));
      const rng = createRng(4);
      for (let i = 0; i < 70; i++) {
        const u = world.context(rng);
        const d = await engine.decide({ experimentId: id, actions: world.actions, contextFeatures: u.features });
        await engine.reward(d.eventId, world.reward(u.type, Number(d.arm.id.slice(1)), rng));
        engine.clock.t += 3;
      }
      const before = await learnedAtLeast(engine, id, 70);
      await engine.close();
      const snapshot = await stores.linearStore.loadSnapshot(id);
      assert.ok(snapshot !== undefined, "a snapshot was saved");
      const snapLearned = (snapshot.position as { learned?: number }).learned ?? 0;
      assert.ok(
        snapLearned >= 25 && snapLearned < 70,
        `the snapshot is behind the log (${snapLearned}): a tail to replay`,
      );

      const again = await startEngine(stores, options);
      const after_ = await again.exportModel(id);
      assert.equal(after_.learnedRewards, before.learnedRewards, "same learned count after the restart");
      const a = before.model as { model: { gram: number[]; target: number[] } };
      const b = after_.model as { model: { gram: number[]; target: number[] } };
      const diff = Math.max(
        ...a.model.gram.map((x, i) => Math.abs(x - b.model.gram[i]!)),
        ...a.model.target.map((x, i) => Math.abs(x - b.model.target[i]!)),
      );
      assert.ok(diff < 1e-9, `same evidence after the restart, max difference ${diff}`);
      await again.close();
    });

    it("two engines on one database learn the same rewards; a reset on one reaches the other", async () => {
      const storesA = await kind.create();
      const storesB = await kind.create();
      const a = await startEngine(storesA);
      const id = linearId();
      await a.createExperiment({ id, reward: "bernoulli", context: "linear", arms: [] });
      const b = await startEngine(storesB);
      if (kind.name === "sqlite") {
        // two SQLite files are two databases: this part needs one shared database
        await a.close();
        await b.close();
        return;
      }
      const actions = offer(3);
      for (let i = 0; i < 10; i++) {
        const d = await a.decide({ experimentId: id, actions, contextFeatures: { n: i } });
        await a.reward(d.eventId, i % 2);
      }
      for (let i = 0; i < 5; i++) {
        const d = await b.decide({ experimentId: id, actions, contextFeatures: { n: i } });
        await b.reward(d.eventId, 1);
      }
      await a.refresh();
      await b.refresh();
      const ea = await a.exportModel(id);
      const eb = await b.exportModel(id);
      assert.equal(ea.learnedRewards, 15, "A learned its rewards and B's");
      assert.equal(eb.learnedRewards, 15, "B learned its rewards and A's");

      a.clock.t += 10_000;
      await a.resetModel(id);
      assert.equal((await a.exportModel(id)).learnedRewards, 0, "A forgot");
      await b.refresh();
      assert.equal((await b.exportModel(id)).learnedRewards, 0, "B follows the reset on refresh");
      const d = await b.decide({ experimentId: id, actions });
      b.clock.t += 10_000;
      await b.reward(d.eventId, 1);
      await a.refresh();
      await b.refresh();
      assert.equal((await a.exportModel(id)).learnedRewards, 1, "only the reward after the reset counts (A)");
      assert.equal((await b.exportModel(id)).learnedRewards, 1, "only the reward after the reset counts (B)");
      await a.close();
      await b.close();
    });

    it("validates linear experiments and refuses the model endpoints of segment experiments", async () => {
      const stores = await kind.create();
      const engine = await startEngine(stores);
      await rejects(
        engine.createExperiment({
          id: linearId(),
          reward: "bernoulli",
          context: "linear",
          arms: [],
          linear: { dimension: 0 },
        }),
        "BANDITRY_VALIDATION",
        "linear.dimension",
      );
      await rejects(
        engine.createExperiment({
          id: linearId(),
          reward: "bernoulli",
          context: "linear",
          arms: [],
          segmentKeys: ["country"],
        }),
        "BANDITRY_VALIDATION",
        "segmentKeys",
      );
      await rejects(
        engine.createExperiment({ id: linearId(), reward: "bernoulli", arms: [{ id: "a" }], explorationShare: 2 }),
        "BANDITRY_VALIDATION",
        "explorationShare",
      );
      const seg = linearId();
      await engine.createExperiment({ id: seg, reward: "bernoulli", arms: [{ id: "a" }] });
      const e = await engine.getExperiment(seg);
      assert.equal(e.context, "segments", "default context");
      assert.equal(e.learningMode, "online", "default learning mode");
      await rejects(engine.exportModel(seg), "BANDITRY_NOT_LINEAR", "experimentId");

      const id = linearId();
      await engine.createExperiment({
        id,
        reward: "bernoulli",
        context: "linear",
        arms: [],
        linear: { dimension: 64 },
      });
      const d = await engine.decide({ experimentId: id, actions: offer(2) });
      await engine.reward(d.eventId, 1);
      await learnedAtLeast(engine, id, 1);
      await engine.updateExperiment(id, { linear: { exploration: 0.5 }, explorationShare: 0.1 });
      assert.equal((await engine.exportModel(id)).learnedRewards, 1, "a non-evidence option keeps the model");
      const updated = await engine.getExperiment(id);
      assert.deepEqual(updated.linear, { dimension: 64, exploration: 0.5 }, "options merged");
      engine.clock.t += 1000;
      await engine.updateExperiment(id, { linear: { dimension: 128 } });
      const reset = await engine.exportModel(id);
      assert.equal(reset.learnedRewards, 0, "an evidence option resets the model");
      assert.equal((reset.model as { options: { dimension: number } }).options.dimension, 128, "new dimension");
      await engine.close();
    });
  });
}

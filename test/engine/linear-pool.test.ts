import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { DecideResult } from "../../src/engine/decision-service.js";
import { learnedAtLeast, linearId, startEngine, storeKinds } from "./linear-harness.js";

const kinds = await storeKinds();
const actions = Array.from({ length: 4 }, (_, i) => ({ id: `a${i}`, features: { slot: i % 2 } }));
const context = { user: { type: "t1" } };
const probabilities = (d: DecideResult) => d.ranking!.map((r) => r.probability);

for (const kind of kinds) {
  describe(`linear engine, posterior draw pool: ${kind.name}`, { skip: kind.skip }, () => {
    after(() => kind.cleanup());

    it("ranks from a pool (probabilities k/M, exact), redrawn after learning only within the limits", async () => {
      const stores = await kind.create();
      const engine = await startEngine(stores, { linear: { poolRefreshMs: 1000, poolRefreshRewards: 10 } });
      const id = linearId();
      await engine.createExperiment({
        id,
        reward: "bernoulli",
        context: "linear",
        arms: [],
        explorationShare: 0,
        linear: { dimension: 64, poolSize: 64 },
      });
      const decide = () => engine.decide({ experimentId: id, actions, contextFeatures: context });
      const p0 = probabilities(await decide());
      for (const p of p0) assert.ok(Math.abs(p * 64 - Math.round(p * 64)) < 1e-9, `p ${p} is a multiple of 1/64`);
      assert.ok(Math.abs(p0.reduce((s, p) => s + p, 0) - 1) < 1e-12, "sums to 1");
      const learn = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const d = await decide();
          await engine.reward(d.eventId, d.arm.id === "a0" ? 1 : 0);
        }
      };
      await learn(5);
      await learnedAtLeast(engine, id, 5);
      assert.deepEqual(probabilities(await decide()), p0, "5 rewards < 10 within 1000 ms: the same (stale) pool");
      engine.clock.t += 1000;
      const p1 = probabilities(await decide());
      assert.notDeepEqual(p1, p0, "the time limit passed: redrawn from the posterior that learned");
      await learn(10);
      await learnedAtLeast(engine, id, 15);
      const p2 = probabilities(await decide());
      assert.notDeepEqual(p2, p1, "10 rewards learned: redrawn without the time limit");
      assert.deepEqual(probabilities(await decide()), p2, "and kept while nothing is learned");
      await engine.close();
    });

    it('policy "exact" keeps per-decision draws with Monte Carlo probabilities', async () => {
      const stores = await kind.create();
      const engine = await startEngine(stores, { linear: { policy: "exact" } });
      const id = linearId();
      await engine.createExperiment({
        id,
        reward: "bernoulli",
        context: "linear",
        arms: [],
        explorationShare: 0,
        linear: { dimension: 64, draws: 1000 },
      });
      const a = probabilities(await engine.decide({ experimentId: id, actions, contextFeatures: context }));
      const b = probabilities(await engine.decide({ experimentId: id, actions, contextFeatures: context }));
      assert.ok(Math.abs(a.reduce((s, p) => s + p, 0) - 1) < 1e-12, "sums to 1");
      assert.notDeepEqual(a, b, "fresh Monte Carlo draws per decision");
      await engine.close();
    });
  });
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BanditryError } from "../../src/domain/errors.js";
import { ContextualWorld } from "../../src/stats/linear/contextual-world.js";
import { FeatureSpace } from "../../src/stats/linear/feature-space.js";
import { LinearThompson } from "../../src/stats/linear/linear-thompson.js";
import type { LinearThompsonOptions } from "../../src/stats/linear/linear-thompson-options.js";
import { createSparseVector, sparseDot } from "../../src/stats/linear/sparse-vector.js";
import { createRng } from "../../src/stats/rng.js";

/** A model that has learnt a little from a small world (d = 64 keeps these tests fast). */
function trained(seed: number, events = 150, options: LinearThompsonOptions = { dimension: 64 }) {
  const world = new ContextualWorld({ types: 3, actions: 5 }, createRng(seed));
  const model = new LinearThompson(options);
  const rng = createRng(seed + 1);
  for (let n = 0; n < events; n++) {
    const user = world.context(rng);
    const a = model.choose(user.features, world.actions, rng).chosen;
    model.update(user.features, world.actions[a]!, world.reward(user.type, a, rng));
  }
  return { world, model, user: world.context(createRng(seed + 2)) };
}

const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0);

describe("LinearThompson: posterior draw pool", () => {
  it("probabilities are the members' wins / M, sum to 1, excluded 0; the choice is the member's best action", () => {
    const { model, world, user } = trained(1);
    const pool = model.drawPool(99);
    assert.equal(pool.size, 128, "default poolSize");
    const excluded = ["a1"];
    const r = model.rankFromPool(pool, user.features, world.actions, createRng(5), { excluded });
    assert.ok(Math.abs(sum(r.probabilities) - 1) < 1e-12, `sum ${sum(r.probabilities)}`);
    assert.equal(r.probabilities[1], 0, "excluded action: p = 0");
    // recount the wins from the members' draws, independently of the pool's scoring
    const wins = new Float64Array(world.actions.length);
    for (let m = 0; m < pool.size; m++) {
      const theta = pool.member(m);
      let best = -1;
      let bestScore = Number.NEGATIVE_INFINITY;
      world.actions.forEach((action, a) => {
        if (excluded.includes(action.id)) return;
        const s = scoreUnder(model, user.features, action, theta);
        if (s > bestScore) {
          bestScore = s;
          best = a;
        }
      });
      wins[best]! += 1;
    }
    for (let a = 0; a < wins.length; a++) {
      assert.ok(
        Math.abs(r.probabilities[a]! - wins[a]! / pool.size) < 1e-12,
        `action ${a}: ${r.probabilities[a]} vs ${wins[a]! / pool.size}`,
      );
    }
    const theta = pool.member(r.member);
    const chosenScore = scoreUnder(model, user.features, world.actions[r.chosen]!, theta);
    // the pool scores in single precision (7 significant digits)
    const tolerance = 1e-5 * (1 + Math.abs(chosenScore));
    assert.ok(Math.abs(chosenScore - r.scores[r.chosen]!) < tolerance, "scores are the member's");
    for (const [a, action] of world.actions.entries()) {
      if (excluded.includes(action.id)) continue;
      assert.ok(r.scores[a]! <= r.scores[r.chosen]!, `action ${a} beats the chosen one under the member`);
    }
  });

  it("probabilities equal how often the pool policy picks each action (seeded, within binomial tolerance)", () => {
    const { model, world, user } = trained(3);
    const pool = model.drawPool(7, 64);
    const excluded = ["a4"];
    const rng = createRng(8);
    const n = 20_000;
    const counts = new Float64Array(world.actions.length);
    let p: number[] | undefined;
    for (let i = 0; i < n; i++) {
      const r = model.rankFromPool(pool, user.features, world.actions, rng, { excluded });
      p ??= r.probabilities;
      assert.deepEqual(r.probabilities, p, "the same pool gives the same probabilities");
      counts[r.chosen]! += 1;
    }
    assert.equal(counts[4], 0, "never chooses an excluded action");
    // chooseFromPool is the same policy without the probabilities
    const alone = new Float64Array(world.actions.length);
    for (let i = 0; i < n; i++)
      alone[model.chooseFromPool(pool, user.features, world.actions, rng, { excluded })]! += 1;
    for (let a = 0; a < alone.length; a++) {
      const pa = p![a]!;
      const q = alone[a]! / n;
      assert.ok(Math.abs(pa - q) < 4.5 * (Math.sqrt((pa * (1 - pa)) / n) + 1e-3), `chooseFromPool: ${a} ${pa} vs ${q}`);
    }
    let spread = 0;
    for (let a = 0; a < counts.length; a++) {
      const q = counts[a]! / n;
      const pa = p![a]!;
      const se = Math.sqrt((pa * (1 - pa)) / n) + 1e-3;
      assert.ok(Math.abs(pa - q) < 4.5 * se, `action ${a}: pool says ${pa}, the policy picked ${q}`);
      spread = Math.max(spread, pa);
    }
    assert.ok(spread < 0.99, "the test needs a pool whose members disagree");
  });

  it("splits ties evenly: a greedy prior scores every action 0", () => {
    const model = new LinearThompson({ dimension: 32, exploration: 0, poolSize: 16 });
    const actions = [{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }];
    const pool = model.drawPool(1);
    const counts = new Float64Array(4);
    const rng = createRng(2);
    for (let i = 0; i < 4000; i++) {
      const r = model.rankFromPool(pool, { u: 1 }, actions, rng, { excluded: ["d"] });
      const want = [1 / 3, 1 / 3, 1 / 3, 0];
      for (let a = 0; a < 4; a++) assert.ok(Math.abs(r.probabilities[a]! - want[a]!) < 1e-12, `p ${r.probabilities}`);
      counts[r.chosen]! += 1;
    }
    for (let a = 0; a < 3; a++) assert.ok(Math.abs(counts[a]! / 4000 - 1 / 3) < 0.04, `tie pick ${a}: ${counts[a]}`);
  });

  it("is reproducible: the same model state and seed draw the same pool, the same rng the same decision", () => {
    const { model, world, user } = trained(4);
    const a = model.drawPool(11, 32);
    const b = model.drawPool(11, 32);
    for (let m = 0; m < 32; m++) assert.deepEqual(a.member(m), b.member(m), `member ${m}`);
    assert.notDeepEqual(model.drawPool(12, 32).member(0), a.member(0), "another seed, other draws");
    const x = model.rankFromPool(a, user.features, world.actions, createRng(3));
    const y = model.rankFromPool(b, user.features, world.actions, createRng(3));
    assert.deepEqual(x, y);
    assert.equal(a.seed, 11);
    assert.equal(a.version, model.version);
  });

  it("a large pool's probabilities approach the exact Thompson probabilities", () => {
    const { model, world, user } = trained(5);
    const pool = model.drawPool(21, 4000);
    const r = model.rankFromPool(pool, user.features, world.actions, createRng(1));
    const exact = model.rank(user.features, world.actions, createRng(2), { draws: 20_000 });
    for (let a = 0; a < world.actions.length; a++) {
      const p = exact.probabilities[a]!;
      const se = Math.sqrt((p * (1 - p)) / 4000 + (p * (1 - p)) / 20_000) + 1e-3;
      assert.ok(Math.abs(r.probabilities[a]! - p) < 4.5 * se, `action ${a}: pool ${r.probabilities[a]}, exact ${p}`);
    }
  });

  it("version counts the posterior's changes; poolSize is validated; a pool of another dimension is refused", () => {
    const { model, world, user } = trained(6, 10);
    const v = model.version;
    assert.equal(v, 10, "one change per update");
    model.update(user.features, world.actions[0]!, 1);
    model.decay(0.99);
    assert.equal(model.version, v + 2, "update and decay change the posterior");
    assert.throws(
      () => new LinearThompson({ poolSize: 0 }),
      (e: unknown) => e instanceof BanditryError && e.field === "poolSize",
      "poolSize 0 is refused, naming the option",
    );
    const other = new LinearThompson({ dimension: 32 }).drawPool(1, 4);
    assert.throws(
      () => model.rankFromPool(other, user.features, world.actions, createRng(1)),
      (e: unknown) => e instanceof BanditryError && e.code === "BANDITRY_POSTERIOR_MISMATCH",
      "a pool of another dimension is refused",
    );
  });
});

describe("LinearThompson: feature texts (the hashed-features cache)", () => {
  it("ranks with texts exactly as without, call after call, and refuses texts that do not match the actions", () => {
    const { model, world, user } = trained(5);
    const plain = model.clone();
    const pool = model.drawPool(3);
    const featureTexts = {
      context: JSON.stringify(user.features),
      actions: world.actions.map((a) => JSON.stringify(a.features ?? null)),
    };
    for (let call = 0; call < 3; call++) {
      const cached = model.rankFromPool(pool, user.features, world.actions, createRng(call), {
        excluded: ["a1"],
        featureTexts,
      });
      const fresh = plain.rankFromPool(pool, user.features, world.actions, createRng(call), { excluded: ["a1"] });
      assert.deepEqual(cached, fresh, `call ${call}: same choice, member, scores and probabilities`);
      assert.equal(
        model.chooseFromPool(pool, user.features, world.actions, createRng(call), { featureTexts }),
        plain.chooseFromPool(pool, user.features, world.actions, createRng(call)),
        `call ${call}: chooseFromPool`,
      );
    }
    assert.throws(
      () =>
        model.rankFromPool(pool, user.features, world.actions, createRng(1), {
          featureTexts: { context: featureTexts.context, actions: featureTexts.actions.slice(1) },
        }),
      (e: unknown) => e instanceof BanditryError && e.field === "featureTexts",
      "one text per action",
    );
  });
});

/** x·θ for a given θ, with x built by a FeatureSpace of the model's options (independent of the pool's scoring). */
function scoreUnder(
  model: LinearThompson,
  context: unknown,
  action: { id: string; features?: unknown },
  theta: Float64Array,
) {
  const o = model.options;
  const space = new FeatureSpace({
    dimension: o.dimension,
    hashSeed: o.hashSeed,
    interactions: o.interactions,
    actionIdFeature: o.actionIdFeature,
    limits: { maxDepth: o.maxDepth, maxFeatures: o.maxFeatures, maxNameLength: o.maxNameLength },
    maxVectorFeatures: o.maxVectorFeatures,
  });
  const x = space.vector(space.context(context), space.action(action.id, action.features), createSparseVector());
  return sparseDot(x, theta);
}

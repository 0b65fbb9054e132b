import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ContextualWorld } from "../../src/stats/linear/contextual-world.js";
import { LinearThompson } from "../../src/stats/linear/linear-thompson.js";
import { poolKernelBytes } from "../../src/stats/linear/pool-kernel.js";
import { PosteriorPool } from "../../src/stats/linear/posterior-pool.js";
import { createRng } from "../../src/stats/rng.js";

/** The same draws in a pool scored in JavaScript. */
function inJs(pool: PosteriorPool): PosteriorPool {
  const js = new PosteriorPool(pool.size, pool.dimension, pool.seed, pool.version, { wasm: false });
  for (let m = 0; m < pool.size; m++) js.set(m, pool.member(m));
  return js;
}

function trained(options: ConstructorParameters<typeof LinearThompson>[0], actions: number, seed: number) {
  const world = new ContextualWorld({ types: 3, actions }, createRng(seed));
  const model = new LinearThompson(options);
  const rng = createRng(seed + 1);
  for (let n = 0; n < 60; n++) {
    const user = world.context(rng);
    const a = model.choose(user.features, world.actions, rng).chosen;
    model.update(user.features, world.actions[a]!, world.reward(user.type, a, rng));
  }
  return { world, model };
}

describe("posterior pool: the WebAssembly SIMD kernel", () => {
  it("is valid WebAssembly and is what a pool scores with on this runtime", () => {
    const wasm = (globalThis as { WebAssembly?: { validate(b: Uint8Array): boolean } }).WebAssembly;
    assert.ok(wasm?.validate(poolKernelBytes()), "Node 20 has WebAssembly SIMD");
    assert.equal(new PosteriorPool(8, 4, 0, 0).scoring, "wasm");
    assert.equal(new PosteriorPool(8, 4, 0, 0, { wasm: false }).scoring, "js");
  });

  it("ranks bit for bit as the JavaScript loop: pool sizes off the block, exclusions, many actions, long vectors", () => {
    const cases = [
      { options: { dimension: 64, poolSize: 128 }, actions: 6 },
      { options: { dimension: 32, poolSize: 1 }, actions: 3 },
      { options: { dimension: 64, poolSize: 7 }, actions: 5 },
      { options: { dimension: 48, poolSize: 130 }, actions: 4 },
      // more actions than the first score space holds (16), and vectors longer than its 1024 entries
      { options: { dimension: 2048, poolSize: 33 }, actions: 40, wide: true },
    ];
    for (const [i, c] of cases.entries()) {
      const { world, model } = trained(c.options, c.actions, 10 + i);
      const pool = model.drawPool(5 + i);
      assert.equal(pool.scoring, "wasm");
      const js = inJs(pool);
      for (let t = 0; t < 5; t++) {
        const user = world.context(createRng(100 * i + t));
        const features = c.wide
          ? { ...(user.features as object), many: Array.from({ length: 80 }, (_, j) => `f${j}`) }
          : user.features;
        const actions = c.wide
          ? world.actions.map((a, j) => ({
              id: a.id,
              features: { tags: Array.from({ length: 20 }, (_, q) => `t${j}-${q}`) },
            }))
          : world.actions;
        const excluded = t % 2 === 0 ? [] : [actions[t % actions.length]!.id];
        const a = model.rankFromPool(pool, features, actions, createRng(t), { excluded });
        const b = model.rankFromPool(js, features, actions, createRng(t), { excluded });
        assert.deepEqual(a, b, `case ${i}, context ${t}`);
      }
    }
  });

  it("scores a vector with no own entries (every action the same) as zeros: a tie split evenly", () => {
    const model = new LinearThompson({ dimension: 16, poolSize: 32, interactions: false, actionIdFeature: false });
    const pool = model.drawPool(3);
    const actions = [{ id: "a" }, { id: "b" }, { id: "c" }];
    const r = model.rankFromPool(pool, { u: 1 }, actions, createRng(1));
    for (const p of r.probabilities) assert.ok(Math.abs(p - 1 / 3) < 1e-12, `p ${p}`);
    assert.deepEqual(r, model.rankFromPool(inJs(pool), { u: 1 }, actions, createRng(1)));
  });

  it("counts NaN as −∞ as the JavaScript loop does: members whose draws give NaN, −∞ and +∞ scores", () => {
    const model = new LinearThompson({ dimension: 8, poolSize: 24, interactions: false });
    const pool = model.drawPool(4);
    const actions = ["a", "b", "c", "d"].map((id, i) => ({ id, features: { x: i + 1, [id]: 1 } }));
    const theta = (fill: (i: number) => number) => Float64Array.from({ length: 8 }, (_, i) => fill(i));
    for (let m = 0; m < 24; m++) {
      const kind = m % 6;
      if (kind === 0)
        pool.set(
          m,
          theta(() => Number.NaN),
        );
      if (kind === 1)
        pool.set(
          m,
          theta(() => Number.NEGATIVE_INFINITY),
        );
      if (kind === 2)
        pool.set(
          m,
          theta((i) => (i % 2 === 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY)),
        );
      if (kind === 3)
        pool.set(
          m,
          theta((i) => (i === 3 ? Number.NaN : i)),
        );
      if (kind === 4)
        pool.set(
          m,
          theta(() => 0),
        );
    }
    const js = inJs(pool);
    for (let t = 0; t < 20; t++) {
      const excluded = t % 3 === 0 ? ["b"] : [];
      const a = model.rankFromPool(pool, { u: 1 }, actions, createRng(t), { excluded });
      const b = model.rankFromPool(js, { u: 1 }, actions, createRng(t), { excluded });
      assert.deepEqual(a, b, `draw ${t}`);
      const sum = Array.from(a.probabilities).reduce((s, p) => s + p, 0);
      assert.ok(Math.abs(sum - 1) < 1e-12, `sums to 1: ${sum}`);
    }
  });
});

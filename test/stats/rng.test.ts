import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createRng } from "../../src/stats/rng.js";

describe("rng", () => {
  it("is deterministic for a seed and replayable after reseed", () => {
    const a = createRng(42);
    const first = Array.from({ length: 5 }, () => a.next());
    const b = createRng(42);
    assert.deepEqual(
      Array.from({ length: 5 }, () => b.next()),
      first,
    );
    a.reseed(42);
    assert.deepEqual(
      Array.from({ length: 5 }, () => a.next()),
      first,
    );
    assert.equal(a.seed, 42);
  });

  it("gives different streams for different seeds", () => {
    assert.notEqual(createRng(1).next(), createRng(2).next());
  });

  it("next is in [0, 1), nextOpen32 in (0, 1), nextInt in [0, n) with a uniform mean", () => {
    const rng = createRng(7);
    let sum = 0;
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const u = rng.next();
      const o = rng.nextOpen32();
      assert.ok(u >= 0 && u < 1);
      assert.ok(o > 0 && o < 1);
      sum += u;
      counts[rng.nextInt(10)]++;
    }
    assert.ok(Math.abs(sum / 100_000 - 0.5) < 0.005);
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `bucket count ${c}`);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BanditryError, type ErrorCode } from "../../src/domain/errors.js";
import { ACTION_CACHE_SIZE, FeatureSpace, type FeatureSpaceOptions } from "../../src/stats/linear/feature-space.js";
import { DEFAULT_FEATURE_LIMITS, flattenFeatures } from "../../src/stats/linear/flatten-features.js";
import { combineHashes, hashIndex, hashSign, hashString } from "../../src/stats/linear/hash-feature.js";
import { LruCache } from "../../src/stats/linear/lru-cache.js";
import { createSparseVector, sparseDot } from "../../src/stats/linear/sparse-vector.js";

function assertBanditryError(fn: () => unknown, code: ErrorCode, field: string, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BanditryError, `expected a BanditryError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.field, field);
    if (message) assert.match(e.message, message);
    return true;
  });
}

const SPACE: FeatureSpaceOptions = {
  dimension: 256,
  hashSeed: 0,
  interactions: true,
  actionIdFeature: true,
  limits: DEFAULT_FEATURE_LIMITS,
  maxVectorFeatures: 4096,
};

describe("feature hashing", () => {
  it("is a fixed function: FNV-1a over UTF-16 code units with murmur3's finalizer (persisted models depend on it)", () => {
    // reference values computed independently (Python) from the definition
    assert.equal(hashString(""), 2872998923);
    assert.equal(hashString("bias"), 661848604);
    assert.equal(hashString("ctx.user.type=new"), 3889528968);
    assert.equal(hashString("bias", 1), 3835356602);
    assert.equal(hashString("é✓"), 2326392780);
    assert.equal(combineHashes(hashString("a"), hashString("b")), 2609400640);
  });

  it("spreads names over the slots and signs about evenly", () => {
    const d = 64;
    const counts = new Array<number>(d).fill(0);
    let positive = 0;
    const n = 64_000;
    for (let i = 0; i < n; i++) {
      const h = hashString(`ctx.user.id=u${i}`);
      counts[hashIndex(h, d)]! += 1;
      if (hashSign(h) === 1) positive++;
    }
    // χ² with 63 degrees of freedom: 99.9% quantile ≈ 104
    const expected = n / d;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    assert.ok(chi2 < 104, `chi² = ${chi2.toFixed(1)}`);
    assert.ok(Math.abs(positive / n - 0.5) < 0.01, `share of + signs ${positive / n}`);
  });

  it("interaction hashes depend on the order of the pair", () => {
    const a = hashString("ctx.x=1");
    const b = hashString("act.y=1");
    assert.notEqual(combineHashes(a, b), combineHashes(b, a));
  });
});

describe("flattenFeatures", () => {
  it("flattens Personalizer's namespace lists, one-hot strings and booleans, numbers with their value", () => {
    const flat = flattenFeatures(
      [
        { user: { type: "new", age: 31, premium: false } },
        { device: { os: "ios", screen: { width: 390 } } },
        { time: { hour: 7 } },
      ],
      "ctx",
      "contextFeatures",
    );
    assert.deepEqual(flat.names, [
      "ctx.user.type=new",
      "ctx.user.age",
      "ctx.user.premium=false",
      "ctx.device.os=ios",
      "ctx.device.screen.width",
      "ctx.time.hour",
    ]);
    assert.deepEqual(flat.values, [1, 31, 1, 1, 390, 7]);
  });

  it("treats string arrays as bags, numeric arrays as vectors, null and 0 as absent", () => {
    const flat = flattenFeatures(
      { tags: ["a", "b", "a"], embedding: [0.5, 0, -2], missing: null, zero: 0, nested: [[{ deep: "x" }]] },
      "act",
      "features",
    );
    assert.deepEqual(flat.names, [
      "act.tags=a",
      "act.tags=b",
      "act.tags=a",
      "act.embedding[0]",
      "act.embedding[2]",
      "act.nested.deep=x",
    ]);
    assert.deepEqual(flat.values, [1, 1, 1, 0.5, -2, 1]);
  });

  it("accepts absent features and is deterministic", () => {
    assert.deepEqual(flattenFeatures(undefined, "ctx", "contextFeatures"), { names: [], values: [] });
    assert.deepEqual(flattenFeatures(null, "ctx", "contextFeatures"), { names: [], values: [] });
    assert.deepEqual(flattenFeatures([], "ctx", "contextFeatures"), { names: [], values: [] });
    const input = { a: { b: "c" }, n: [1, 2] };
    assert.deepEqual(flattenFeatures(input, "ctx", "f"), flattenFeatures(structuredClone(input), "ctx", "f"));
  });

  it("rejects bad values and inputs past the limits, naming the field", () => {
    const limits = { maxDepth: 3, maxFeatures: 4, maxNameLength: 10 };
    const f = (x: unknown) => () => flattenFeatures(x, "ctx", "contextFeatures", limits);
    assertBanditryError(f("morning"), "BANDITRY_VALIDATION", "contextFeatures", /object or an array/);
    assertBanditryError(f(42), "BANDITRY_VALIDATION", "contextFeatures");
    assertBanditryError(
      f([{ a: { b: { c: { d: 1 } } } }]),
      "BANDITRY_VALIDATION",
      "contextFeatures[0].a.b.c",
      /3 levels/,
    );
    assertBanditryError(
      f({ a: 1, b: 2, c: 3, d: 4, e: 5 }),
      "BANDITRY_VALIDATION",
      "contextFeatures",
      /more than 4 features/,
    );
    assertBanditryError(
      f({ user: { name: "x".repeat(11) } }),
      "BANDITRY_VALIDATION",
      "contextFeatures.user.name",
      /11 characters/,
    );
    assertBanditryError(f({ ["k".repeat(11)]: 1 }), "BANDITRY_VALIDATION", "contextFeatures", /key .* 11 characters/);
    assertBanditryError(f({ user: { age: Number.NaN } }), "BANDITRY_VALIDATION", "contextFeatures.user.age", /finite/);
    assertBanditryError(f([{ x: Number.POSITIVE_INFINITY }]), "BANDITRY_VALIDATION", "contextFeatures[0].x", /finite/);
    assertBanditryError(f({ fn: () => 1 }), "BANDITRY_VALIDATION", "contextFeatures.fn", /function/);
    assertBanditryError(f({ big: 10n }), "BANDITRY_VALIDATION", "contextFeatures.big", /bigint/);
  });
});

describe("FeatureSpace", () => {
  const ctxFeatures = [{ user: { type: "new" } }, { time: { hour: 0.5 } }];
  const action = { id: "news-1", features: [{ type: "News" }] };

  it("builds bias + context + action (with its id) + context × action, namespaced", () => {
    const space = new FeatureSpace(SPACE);
    const ctx = space.context(ctxFeatures);
    const act = space.action(action.id, action.features);
    assert.deepEqual(
      space.entries(ctx, act).map((e) => [e.name, e.value]),
      [
        ["bias", 1],
        ["ctx.user.type=new", 1],
        ["ctx.time.hour", 0.5],
        ["act.id=news-1", 1],
        ["act.type=News", 1],
        ["ctx.user.type=new*act.id=news-1", 1],
        ["ctx.user.type=new*act.type=News", 1],
        ["ctx.time.hour*act.id=news-1", 0.5],
        ["ctx.time.hour*act.type=News", 0.5],
      ],
    );
    assert.equal(space.size(ctx, act), 9);
  });

  it("hashes each entry to ±value at its slot, the same way every time", () => {
    const space = new FeatureSpace(SPACE);
    const ctx = space.context(ctxFeatures);
    const act = space.action(action.id, action.features);
    const x = space.vector(ctx, act, createSparseVector(1));
    const entries = space.entries(ctx, act);
    assert.equal(x.length, entries.length);
    for (const [k, e] of entries.entries()) {
      const [left, right] = e.name.split("*");
      // interaction hashes are combined from the halves' hashes, not hashed from the joined name
      assert.equal(
        e.hash,
        right === undefined ? hashString(e.name) : combineHashes(hashString(left!), hashString(right)),
      );
      assert.equal(x.indices[k], hashIndex(e.hash, 256), e.name);
      assert.equal(x.values[k], hashSign(e.hash) * e.value, e.name);
    }
    const again = new FeatureSpace(SPACE).vector(
      new FeatureSpace(SPACE).context(structuredClone(ctxFeatures)),
      new FeatureSpace(SPACE).action(action.id, structuredClone(action.features)),
      createSparseVector(),
    );
    assert.deepEqual(Array.from(again.indices.subarray(0, again.length)), Array.from(x.indices.subarray(0, x.length)));
    assert.deepEqual(Array.from(again.values.subarray(0, again.length)), Array.from(x.values.subarray(0, x.length)));
  });

  it("keeps context and action namespaces apart: the same key hashes differently on each side", () => {
    const space = new FeatureSpace(SPACE);
    const ctx = space.context({ type: "News" });
    const act = space.action("a", { type: "News" });
    assert.equal(ctx.names[0], "ctx.type=News");
    assert.equal(act.names[1], "act.type=News");
    assert.notEqual(ctx.hashes[0], act.hashes[1]);
  });

  it("can leave out interactions and the action id; another hash seed moves the slots", () => {
    const plain = new FeatureSpace({ ...SPACE, interactions: false, actionIdFeature: false });
    const ctx = plain.context(ctxFeatures);
    const act = plain.action(action.id, action.features);
    assert.deepEqual(
      plain.entries(ctx, act).map((e) => e.name),
      ["bias", "ctx.user.type=new", "ctx.time.hour", "act.type=News"],
    );
    const seeded = new FeatureSpace({ ...SPACE, hashSeed: 7 });
    assert.notDeepEqual(seeded.context(ctxFeatures).hashes, new FeatureSpace(SPACE).context(ctxFeatures).hashes);
  });

  it("refuses a vector larger than maxVectorFeatures, naming the action", () => {
    const space = new FeatureSpace({ ...SPACE, maxVectorFeatures: 8 });
    const ctx = space.context(ctxFeatures);
    const act = space.action(action.id, action.features);
    assertBanditryError(
      () => space.requireSize(ctx, act, "actions[3]"),
      "BANDITRY_VALIDATION",
      "actions[3]",
      /9 features/,
    );
  });
});

describe("FeatureSpace caches and merged vectors", () => {
  const ctxFeatures = [{ user: { type: "new", tier: "gold" } }, { time: { hour: 0.5 } }];
  const action = { id: "news-1", features: [{ type: "News" }, { tags: ["a", "b"] }] };
  const text = (v: unknown) => JSON.stringify(v);

  it("a cache hit gives the same features as a fresh computation", () => {
    const space = new FeatureSpace(SPACE);
    const fresh = new FeatureSpace(SPACE);
    const first = space.action(action.id, action.features, "action", text(action.features));
    const hit = space.action(action.id, structuredClone(action.features), "action", text(action.features));
    assert.equal(hit, first, "the second call is served from the cache");
    assert.deepEqual(hit, fresh.action(action.id, action.features), "same names, values and hashes as uncached");
    const ctx = space.context(ctxFeatures, "contextFeatures", text(ctxFeatures));
    assert.equal(space.context(structuredClone(ctxFeatures), "contextFeatures", text(ctxFeatures)), ctx, "context hit");
    assert.deepEqual(ctx, fresh.context(ctxFeatures), "context as uncached");
  });

  it("does not confuse different features under one id, nor one text under different ids", () => {
    const space = new FeatureSpace(SPACE);
    const a1 = space.action("a", { x: 1 }, "action", text({ x: 1 }));
    const a2 = space.action("a", { x: 2 }, "action", text({ x: 2 }));
    assert.deepEqual(a1.values, [1, 1], "act.id and x = 1");
    assert.deepEqual(a2.values, [1, 2], "act.id and x = 2");
    const b1 = space.action("b", { x: 1 }, "action", text({ x: 1 }));
    assert.deepEqual(b1.names, ["act.id=b", "act.x"], "the id is part of the key");
    // an id that ends like another key's text begins must not collide
    const c = space.action("1:a", { x: 1 }, "action", text({ x: 1 }));
    assert.deepEqual(c.names[0], "act.id=1:a");
    assert.deepEqual(space.action("a", { x: 1 }, "action", text({ x: 1 })), a1, "a is still a1");
  });

  it("is bounded: the least recently used entries are dropped", () => {
    const space = new FeatureSpace(SPACE);
    const first = space.action("a0", { x: 1 }, "action", "k0");
    const kept = space.action("keep", { x: 1 }, "action", "k");
    for (let i = 1; i <= ACTION_CACHE_SIZE; i++) {
      space.action(`a${i}`, { x: 1 }, "action", `k${i}`);
      if (i % 100 === 0) assert.equal(space.action("keep", { x: 1 }, "action", "k"), kept, "a used entry stays");
    }
    assert.notEqual(space.action("a0", { x: 1 }, "action", "k0"), first, "the oldest entry was dropped");
    const lru = new LruCache<number>(3);
    for (let i = 0; i < 10; i++) lru.set(`k${i}`, i);
    assert.equal(lru.size, 3, "never more than its capacity");
    assert.equal(lru.get("k6"), undefined, "k6 was dropped");
    assert.equal(lru.get("k7"), 7, "k7 kept");
    lru.set("k10", 10);
    assert.equal(lru.get("k8"), undefined, "k8 was the least recently used after k7's hit");
    assert.equal(lru.get("k7"), 7, "k7 kept after its hit");
  });

  it("a merged vector has each slot of its action part once, the same prefix and the same dot products", () => {
    const space = new FeatureSpace({ ...SPACE, dimension: 16 });
    const many = { tags: Array.from({ length: 12 }, (_, i) => `t${i}`), w: [0.5, -2, 3] };
    const ctx = space.context(ctxFeatures);
    const act = space.action("a", many);
    const x = space.vector(ctx, act, createSparseVector());
    const y = space.vector(ctx, act, createSparseVector(), true);
    assert.ok(y.length < x.length, `collisions at d = 16 were merged: ${y.length} < ${x.length}`);
    const prefix = 1 + ctx.hashes.length;
    for (let e = 0; e < prefix; e++) {
      assert.equal(y.indices[e], x.indices[e], `prefix entry ${e}`);
      assert.equal(y.values[e], x.values[e], `prefix entry ${e}`);
    }
    const tail = Array.from(y.indices.subarray(prefix, y.length));
    assert.equal(new Set(tail).size, tail.length, "no slot twice in the action part");
    for (let t = 0; t < 5; t++) {
      const w = Float64Array.from({ length: 16 }, (_, i) => Math.sin(i * 7 + t));
      const dx = sparseDot(x, w);
      assert.ok(Math.abs(sparseDot(y, w) - dx) < 1e-9 * (1 + Math.abs(dx)), `dot product ${t}`);
    }
    // a second merge in the same space starts clean
    const z = space.vector(ctx, act, createSparseVector(), true);
    assert.deepEqual(Array.from(z.indices.subarray(0, z.length)), Array.from(y.indices.subarray(0, y.length)));
  });
});

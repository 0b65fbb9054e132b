import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JsonTextCache } from "../../src/engine/linear/json-text-cache.js";

describe("JsonTextCache (linear actions' feature texts)", () => {
  it("serves an equal value's text without serializing; anything else is serialized", () => {
    const cache = new JsonTextCache(8, 1000);
    let calls = 0;
    const text = (key: string, v: unknown) =>
      cache.text(key, v, (x) => {
        calls++;
        return JSON.stringify(x);
      });
    const features = [{ topic: { name: "t1" }, length: 120, fresh: true, tags: ["a", "b"], none: null }];
    assert.equal(text("a1", features), JSON.stringify(features));
    assert.equal(calls, 1);
    assert.equal(text("a1", structuredClone(features)), JSON.stringify(features), "an equal copy");
    assert.equal(calls, 1, "served from the cache");
    const others: unknown[] = [
      [{ topic: { name: "t2" }, length: 120, fresh: true, tags: ["a", "b"], none: null }],
      [{ length: 120, topic: { name: "t1" }, fresh: true, tags: ["a", "b"], none: null }], // key order
      [{ topic: { name: "t1" }, length: 120, fresh: true, tags: ["a", "b"], none: null, extra: undefined }],
      [{ topic: { name: "t1" }, length: 120, fresh: true, tags: ["a", "b", "c"], none: null }],
      [{ topic: { name: "t1" }, length: "120", fresh: true, tags: ["a", "b"], none: null }],
      [{ topic: { name: "t1", toJSON: () => "x" }, length: 120, fresh: true, tags: ["a", "b"], none: null }],
      [{ topic: new Date(0), length: 120, fresh: true, tags: ["a", "b"], none: null }],
      { 0: { topic: { name: "t1" }, length: 120, fresh: true, tags: ["a", "b"], none: null } },
    ];
    for (const [i, v] of others.entries()) {
      text("a1", features); // the first value is remembered
      const before: number = calls;
      assert.equal(text("a1", v), JSON.stringify(v), `value ${i}`);
      assert.equal(calls, before + 1, `value ${i} was serialized`);
    }
  });

  it("keeps its own copy: changing the caller's object later does not change what it serves", () => {
    const cache = new JsonTextCache(8, 1000);
    const v = { x: 1, inner: { y: [1, 2] } };
    assert.equal(
      cache.text("k", v, (x) => JSON.stringify(x)),
      '{"x":1,"inner":{"y":[1,2]}}',
    );
    v.inner.y.push(3);
    assert.equal(
      cache.text("k", v, (x) => JSON.stringify(x)),
      '{"x":1,"inner":{"y":[1,2,3]}}',
    );
  });

  it("does not keep texts longer than maxText, and a failing serialize throws as before", () => {
    const cache = new JsonTextCache(8, 10);
    let calls = 0;
    const big = { long: "x".repeat(50) };
    for (let i = 0; i < 2; i++)
      cache.text("b", big, (x) => {
        calls++;
        return JSON.stringify(x);
      });
    assert.equal(calls, 2, "too long to keep");
    assert.throws(() =>
      cache.text("c", { a: 1 }, () => {
        throw new Error("too big");
      }),
    );
  });
});

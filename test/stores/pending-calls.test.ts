import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PendingCalls } from "../../src/stores/pending-calls.js";

describe("PendingCalls", () => {
  it("takes each call once, by id, and counts those in flight", () => {
    const calls = new PendingCalls<string>();
    calls.add(2, "b");
    calls.add(1, "a");
    assert.equal(calls.size, 2);
    assert.equal(calls.take(2), "b");
    assert.equal(calls.take(2), undefined);
    assert.equal(calls.take(7), undefined);
    assert.equal(calls.size, 1);
    calls.add(2, "again");
    assert.deepEqual(calls.takeAll(), [
      [1, "a"],
      [2, "again"],
    ]);
    assert.equal(calls.size, 0);
    assert.deepEqual(calls.takeAll(), []);
  });

  it("grows its ring when a call stays in flight while many later ones come and go", () => {
    const calls = new PendingCalls<number>();
    calls.add(0, -1); // a slow call
    for (let id = 1; id <= 1000; id++) {
      calls.add(id, id);
      if (id % 3 === 0) assert.equal(calls.take(id - 1), id - 1);
      if (id % 3 === 0) assert.equal(calls.take(id), id);
    }
    // ids 1, 4, 7, … stayed in flight with 0
    assert.equal(calls.size, 1 + 334);
    assert.equal(calls.take(0), -1);
    assert.equal(calls.take(1000), 1000);
    const rest = calls.takeAll();
    assert.deepEqual(
      rest.map(([id]) => id),
      Array.from({ length: 333 }, (_, i) => 1 + 3 * i),
    );
    assert.ok(rest.every(([id, call]) => id === call));
  });

  it("keeps calls in flight whose ids are a large power of two apart", () => {
    const calls = new PendingCalls<string>();
    calls.add(0, "stuck");
    calls.add(2 ** 20, "late");
    calls.add(2 ** 21, "later");
    assert.equal(calls.size, 3);
    assert.deepEqual(calls.takeAll(), [
      [0, "stuck"],
      [2 ** 20, "late"],
      [2 ** 21, "later"],
    ]);
  });

  it("refuses an id already in flight, or not a non-negative integer; a falsy call is still in flight", () => {
    const calls = new PendingCalls<number>();
    calls.add(0, 10);
    assert.throws(() => calls.add(0, 11), /call 0 is already in flight/);
    assert.throws(() => calls.add(-1, 11), /non-negative integer/);
    assert.throws(() => calls.add(1.5, 11), /non-negative integer/);
    assert.equal(calls.take(0), 10);
    calls.add(3, 0);
    assert.equal(calls.size, 1);
    assert.equal(calls.take(3), 0);
    assert.equal(calls.size, 0);
  });
});

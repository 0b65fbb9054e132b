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

  it("refuses an id already in flight; a falsy call is still in flight", () => {
    const calls = new PendingCalls<number>();
    calls.add(0, 10);
    assert.throws(() => calls.add(0, 11), /call 0 is already in flight/);
    assert.equal(calls.take(0), 10);
    calls.add(3, 0);
    assert.equal(calls.size, 1);
    assert.equal(calls.take(3), 0);
    assert.equal(calls.size, 0);
  });
});

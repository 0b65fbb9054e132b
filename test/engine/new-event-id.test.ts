import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newEventId } from "../../src/engine/new-event-id.js";

describe("newEventId", () => {
  it("is a UUIDv7 whose first 48 bits are the millisecond time", () => {
    const now = Date.UTC(2026, 11, 4, 23, 59, 59, 123);
    const id = newEventId(now);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16), now);
  });

  it("orders by time, and ids of one millisecond differ", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => newEventId(1_700_000_000_000 + Math.floor(i / 10)));
    assert.equal(new Set(ids).size, ids.length);
    for (let i = 10; i < ids.length; i += 10) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { idString, parseJsonExact } from "../../src/connectors/amazon-ads/exact-json.js";

describe("parseJsonExact", () => {
  it("keeps int64 ids beyond 2^53 exact, as strings", () => {
    const text = '[{"profileId":3512345678901234567,"small":42,"dailyBudget":999999999.0}]';
    assert.deepEqual(parseJsonExact(text), [{ profileId: "3512345678901234567", small: 42, dailyBudget: 999999999 }]);
    assert.notEqual(String(JSON.parse(text)[0].profileId), "3512345678901234567", "plain JSON.parse rounds it");
  });

  it("leaves strings, decimals, exponents and safe integers alone", () => {
    const text = String.raw`{"a":"12345678901234567890","b":"q\"1234567890123456789\"","c":1.2345678901234567,"d":1e300,"e":9007199254740991,"f":-9223372036854775808,"g":[12345678901234567890]}`;
    assert.deepEqual(parseJsonExact(text), {
      a: "12345678901234567890",
      b: 'q"1234567890123456789"',
      c: 1.2345678901234567,
      d: 1e300,
      e: 9007199254740991,
      f: "-9223372036854775808",
      g: ["12345678901234567890"],
    });
  });

  it("round-trips any int64 exactly (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.string(), (n, s) => {
        const parsed = parseJsonExact(`{"id":${n},"s":${JSON.stringify(s)}}`) as { id: number | string; s: string };
        return idString(parsed.id, "id") === n.toString() && parsed.s === s;
      }),
    );
  });

  it("fails like JSON.parse on malformed text", () => {
    assert.throws(() => parseJsonExact("{1234567890123456789}"), SyntaxError);
  });
});

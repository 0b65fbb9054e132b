import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { FeatureTextDigests } from "../../src/domain/feature-text-digests.js";

describe("FeatureTextDigests", () => {
  it("gives a text's digest from the second time it is met: SHA-256 in base64url, 132 bits", () => {
    const digests = new FeatureTextDigests();
    const text = '{"topic":"news","price":2}';
    assert.equal(digests.digest(text), null);
    const digest = digests.digest(` ${text}`.slice(1)); // an equal text, another string
    assert.equal(digest, createHash("sha256").update(text).digest("base64url").slice(0, 22));
    assert.equal(digests.digest(text), digest);
    assert.equal(new FeatureTextDigests().digest(text), null, "each memory meets texts on its own");
  });

  it("per action of a decision: null for an action without features, whose text is not looked at", () => {
    const digests = new FeatureTextDigests();
    const texts = ['{"a":1}', "null", '{"b":2}'];
    const spans = [10, 20, -1, -1, 30, 40];
    assert.deepEqual(digests.of(texts, spans), [null, null, null]);
    const again = digests.of(texts, spans);
    assert.equal(again.length, 3);
    assert.equal(again[1], null);
    assert.equal(again[0]!.length, 22);
    assert.notEqual(again[0], again[2]);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isFrozenJson } from "../../src/domain/frozen-json.js";
import { JsonBodyParser, TOO_DEEP } from "../../src/http/json-body-parser.js";
import { createRng } from "../../src/stats/rng.js";

const features = (a: number) => [
  { topic: { name: `t${a % 4}`, sub: `s${a}` }, length: 100 + a, fresh: a % 2 === 0 },
  { source: { site: `site${a % 3}`, author: `au${a}` }, tags: [`g${a % 2}`, `h${a % 5}`] },
];
const rankBody = (age: number, n = 5) =>
  JSON.stringify({
    contextFeatures: [{ user: { type: "returning", age } }],
    actions: Array.from({ length: n }, (_, a) => ({ id: `article-${a}`, features: features(a) })),
    eventId: `e${age}`,
  });

describe("JsonBodyParser (request bodies, actions' features cached)", () => {
  it("parses as JSON.parse does, the second time from the cache: the same frozen objects", () => {
    const parser = new JsonBodyParser(64);
    const first = parser.parse(rankBody(1)) as { actions: { features: unknown }[] };
    assert.deepEqual(first, JSON.parse(rankBody(1)));
    const second = parser.parse(rankBody(2)) as { actions: { features: unknown }[] };
    assert.deepEqual(second, JSON.parse(rankBody(2)));
    for (let a = 0; a < 5; a++) {
      assert.equal(second.actions[a]!.features, first.actions[a]!.features, "one object per features text");
      assert.ok(isFrozenJson(second.actions[a]!.features));
    }
    assert.throws(() => {
      (second.actions[0]!.features as { x?: number }[])[0]!.x = 1;
    }, TypeError);
    assert.ok(!Object.isFrozen(second.actions[0]), "only the features are shared");
  });

  it("takes only actions[i].features at the top level; features elsewhere, primitives and repeated keys as JSON.parse", () => {
    const parser = new JsonBodyParser(64);
    const texts = [
      '{"features":{"a":1},"x":{"actions":[{"features":{"b":2}}]}}',
      '{"actions":{"features":{"a":1}}}',
      '{"actions":[{"features":null},{"features":"s"},{"features":3},{"id":"x"},5,[{"features":{"a":1}}]]}',
      '{"actions":[{"features":{"a":1},"features":{"a":2}}],"actions":[{"features":[1,2,3]}]}',
      '{"actions": [ { "id" : "a" , "features" :\n {"k": "v ] } \\" [ {", "n": [1, {"m": true}]} } ] }',
      '{"actions":"x","b":[{"features":{"a":1}}]}',
      '{"a":"\\\\","actions":[{"features":{"q":"\\\\\\""}}]}',
      '[{"actions":[{"features":{"a":1}}]}]',
      '"actions"',
      "{}",
    ];
    for (let round = 0; round < 2; round++) {
      for (const t of texts) assert.deepEqual(parser.parse(t), JSON.parse(t), t);
    }
  });

  it("refuses deep nesting, inside cached features too, and throws on invalid JSON as JSON.parse does", () => {
    const parser = new JsonBodyParser(6);
    const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    assert.equal(parser.parse(deep(7)), TOO_DEEP);
    assert.deepEqual(parser.parse(deep(6)), JSON.parse(deep(6)));
    // features of relative depth 3 (object, array, object) at depth 3: 6 in all, then 7 one level further down
    const f = JSON.stringify({ list: [{ k: "a long enough value to be looked up by its prefix" }] });
    const ok = `{"actions":[{"features":${f}}]}`;
    assert.deepEqual(parser.parse(ok), JSON.parse(ok));
    assert.deepEqual(parser.parse(ok), JSON.parse(ok), "from the cache");
    assert.equal(parser.parse(`{"x":{"actions":[{"features":${f}}]}}`), TOO_DEEP, "not the top level: scanned");
    assert.equal(parser.parse(`[{"actions":[{"features":${f}}]}]`), TOO_DEEP);
    const bad = [
      `{"actions":[{"features":${f.slice(0, -1)}]}`,
      `{"actions":[{"features":${f}}]`,
      `{"actions":[{"features":${f}},]}`,
      '{"actions":[{"features":{"a":1}}]} x',
      '{"actions":[{"features":{"a":"unterminated}}]}',
      "",
    ];
    for (const t of bad) assert.throws(() => parser.parse(t), SyntaxError, t);
  });

  it("tells apart features texts that begin alike (random catalogs, compared with JSON.parse)", () => {
    const parser = new JsonBodyParser(64, 16);
    const rng = createRng(7);
    const value = (depth: number): unknown => {
      const r = rng.nextInt(depth > 3 ? 4 : 7);
      if (r === 0) return rng.nextInt(3);
      if (r === 1) return ["x", 'q"uote', "b\\s", "[{", ""][rng.nextInt(5)];
      if (r === 2) return rng.nextInt(2) === 0;
      if (r === 3) return null;
      if (r === 4) return Array.from({ length: rng.nextInt(3) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: rng.nextInt(3) }, (_, i) => [`k${i}`, value(depth + 1)]));
    };
    const prefix = "p".repeat(60);
    for (let n = 0; n < 400; n++) {
      const actions = Array.from({ length: 1 + rng.nextInt(4) }, (_, i) => ({
        id: `a${i}`,
        features: { prefix, v: value(0) },
      }));
      const t = JSON.stringify({ contextFeatures: { n }, actions });
      assert.deepEqual(parser.parse(t), JSON.parse(t), t);
    }
  });
});

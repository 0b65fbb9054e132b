import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DecisionFeatures } from "../../src/domain/decision.js";
import { decisionFeaturesText } from "../../src/engine/linear/decision-features-text.js";

/** The texts a decision makes of its inputs: JSON.stringify of each, "null" for none. */
function textsOf(f: DecisionFeatures) {
  return {
    context: JSON.stringify(f.context),
    actions: f.actions.map((a) => (a.features === undefined ? "null" : JSON.stringify(a.features))),
  };
}

describe("decisionFeaturesText", () => {
  const cases: [string, DecisionFeatures][] = [
    [
      "Personalizer-style namespaces, excluded list",
      {
        context: [{ user: { type: "returning", age: 34 } }, { device: { mobile: true } }],
        actions: [
          { id: "a", features: [{ topic: { name: "t1" }, score: 0.5, tags: ["x", "y"] }] },
          { id: "b", features: { price: 1e-7 } },
        ],
        excluded: ["b"],
      },
    ],
    ["no context, an action without features", { context: null, actions: [{ id: "a" }, { id: "b", features: 3 }] }],
    [
      "ids that need escaping, unicode, the model's own choice",
      {
        context: { 'quo"te': "é\u2028\n", nested: { deep: [[1, 2], { x: null }] } },
        actions: [{ id: 'a"\\b' }, { id: "ü🎯", features: { s: "\u0000" } }],
        excluded: [],
        modelArmId: 'a"\\b',
      },
    ],
  ];
  it("a field it does not write itself is still in the text (JSON.stringify of the whole record)", () => {
    const features = { context: null, actions: [{ id: "a" }], later: { x: 1 } } as DecisionFeatures;
    assert.equal(decisionFeaturesText(features, textsOf(features)), JSON.stringify(features));
  });

  for (const [name, features] of cases) {
    it(`equals JSON.stringify of the record: ${name}`, () => {
      const text = decisionFeaturesText(features, textsOf(features));
      assert.equal(text, JSON.stringify(features));
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(features)));
    });
  }
});

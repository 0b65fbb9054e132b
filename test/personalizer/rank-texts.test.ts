import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rankTexts } from "../../src/personalizer/rank-thread/rank-texts.js";
import { createRng } from "../../src/stats/rng.js";

describe("rankTexts", () => {
  it("writes what JSON.stringify writes, for any id and probability", () => {
    const rng = createRng(7);
    const odd = ['a"b', "back\\slash", "tab\there", "é✓😀", "\u0000\u001f", "</script>", ""];
    for (let n = 0; n < 200; n++) {
      const k = 1 + rng.nextInt(12);
      const ids = Array.from({ length: k }, (_, i) =>
        rng.next() < 0.3 ? odd[rng.nextInt(odd.length)]! : `action-${i}`,
      );
      const probabilities = Float64Array.from(
        ids,
        () => [0, 1, 1e-21, 0.1 + 0.2, rng.next(), rng.next() / 3][rng.nextInt(6)]!,
      );
      const served = rng.nextInt(k);
      const eventId = n % 2 === 0 ? `ev-${n}` : 'quote"d';
      const { rankingText, responseText } = rankTexts(ids, probabilities, eventId, ids[served]!);
      const ranking = ids.map((id, i) => ({ armId: id, probability: probabilities[i] }));
      assert.equal(rankingText, JSON.stringify(ranking));
      const response = {
        ranking: ids.map((id, i) => ({ id, probability: probabilities[i] })),
        eventId,
        rewardActionId: ids[served],
      };
      assert.equal(responseText, JSON.stringify(response));
    }
  });

  it("writes a probability that is not finite as null, as JSON does", () => {
    const { rankingText } = rankTexts(["a", "b"], Float64Array.of(Number.NaN, Number.POSITIVE_INFINITY), "e", "a");
    assert.equal(rankingText, '[{"armId":"a","probability":null},{"armId":"b","probability":null}]');
  });
});

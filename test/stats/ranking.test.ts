import assert from "node:assert/strict";
import { describe, it } from "node:test";
import betainc from "@stdlib/math-base-special-betainc";
import betaln from "@stdlib/math-base-special-betaln";
import fc from "fast-check";
import { isBanditryError } from "../../src/domain/errors.js";
import type { Policy } from "../../src/stats/policies/policy.js";
import { createPolicy, POLICY_KINDS } from "../../src/stats/policies/registry.js";
import { ThompsonPolicy } from "../../src/stats/policies/thompson.js";
import { BetaBernoulliPosterior } from "../../src/stats/posteriors/beta-bernoulli.js";
import type { Posterior } from "../../src/stats/posteriors/posterior.js";
import { blendRankedLists } from "../../src/stats/ranking/blend-ranked-lists.js";
import { chooseArm } from "../../src/stats/ranking/choose-arm.js";
import { normalizedConfidences } from "../../src/stats/ranking/normalized-confidences.js";
import { rankProbabilities } from "../../src/stats/ranking/rank-probabilities.js";
import { rankTopK } from "../../src/stats/ranking/rank-top-k.js";
import { selectionProbabilities } from "../../src/stats/ranking/selection-probabilities.js";
import { createRng } from "../../src/stats/rng.js";

function beta(successes: number, failures: number): BetaBernoulliPosterior {
  return new BetaBernoulliPosterior({ alpha: 1, beta: 1 }, successes, failures);
}

/** A policy with fixed scores, to test choosing and ranking apart from sampling. */
function fixedScores(scores: number[]): Policy {
  return {
    kind: "thompson",
    score(_arms, _rng, out) {
      for (let i = 0; i < scores.length; i++) out[i] = scores[i]!;
    },
  };
}

const noArmsButN = (n: number): Posterior[] => Array.from({ length: n }, () => beta(0, 0));

function expectError(fn: () => unknown, code: string, field: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isBanditryError(e), `expected a BanditryError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.field, field, e.message);
    return true;
  });
}

function withinSe(estimate: number, exact: number, draws: number, label: string): void {
  const se = Math.sqrt((exact * (1 - exact)) / draws);
  assert.ok(Math.abs(estimate - exact) <= 4 * se + 1e-12, `${label}: ${estimate} vs exact ${exact} (se ${se})`);
}

/** Arbitrary Beta arms (successes, failures) as generated input. */
const betaArms = (min: number, max: number) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })), {
      minLength: min,
      maxLength: max,
    })
    .map((evidence) => evidence.map(([s, f]) => beta(s, f)));

/** P(X > Y), X ~ Beta(a1, b1), Y ~ Beta(a2, b2), a, b ≥ 2, by Simpson's rule over f_X · F_Y. */
function probGreater(a1: number, b1: number, a2: number, b2: number): number {
  const m = 2000;
  const lnB = betaln(a1, b1);
  const f = (x: number) =>
    x <= 0 || x >= 1 ? 0 : Math.exp((a1 - 1) * Math.log(x) + (b1 - 1) * Math.log1p(-x) - lnB) * betainc(x, a2, b2);
  let s = 0;
  for (let i = 1; i < m; i++) s += (i % 2 === 1 ? 4 : 2) * f(i / m);
  return s / (3 * m);
}

describe("chooseArm", () => {
  it("throws BANDITRY_NO_ACTIVE_ARMS without arms", () => {
    expectError(() => chooseArm(new ThompsonPolicy(), [], createRng(1)), "BANDITRY_NO_ACTIVE_ARMS", "arms");
  });

  it("is the argmax of the policy's scores, written into the scratch buffer", () => {
    const arms = noArmsButN(4);
    const scratch = new Float64Array(6);
    assert.equal(chooseArm(fixedScores([0.1, 0.7, -2, 0.3]), arms, createRng(1), scratch), 1);
    assert.deepEqual(Array.from(scratch.subarray(0, 4)), [0.1, 0.7, -2, 0.3]);
    // a scratch too short for the arms is replaced, never an error
    assert.equal(chooseArm(fixedScores([0.1, 0.7, -2, 0.9]), arms, createRng(1), new Float64Array(2)), 3);
  });

  it("breaks ties uniformly with the rng (not always the first)", () => {
    const policy = fixedScores([1, 3, 3, 0, 3]);
    const arms = noArmsButN(5);
    const rng = createRng(3);
    const counts = [0, 0, 0, 0, 0];
    const draws = 6000;
    for (let d = 0; d < draws; d++) counts[chooseArm(policy, arms, rng)]!++;
    assert.equal(counts[0], 0);
    assert.equal(counts[3], 0);
    for (const i of [1, 2, 4]) withinSe(counts[i]! / draws, 1 / 3, draws, `tied arm ${i}`);
  });

  it("treats a NaN score as −∞, and +∞ as a score like any other", () => {
    assert.equal(chooseArm(fixedScores([Number.NaN, 0.5]), noArmsButN(2), createRng(1)), 1);
    assert.equal(chooseArm(fixedScores([0, Number.POSITIVE_INFINITY, 1]), noArmsButN(3), createRng(1)), 1);
  });

  it("picks the first entry of rankTopK from the same rng state, for every policy", () => {
    fc.assert(
      fc.property(fc.constantFrom(...POLICY_KINDS), betaArms(1, 8), fc.nat(), (kind, arms, seed) => {
        const policy = createPolicy(kind);
        const first = rankTopK(policy, arms, 1, createRng(seed))[0];
        assert.equal(chooseArm(policy, arms, createRng(seed)), first);
      }),
      { numRuns: 200 },
    );
  });
});

describe("rankTopK", () => {
  it("follows the samples: for thompson it is the argsort of the scores drawn with the same seed", () => {
    fc.assert(
      fc.property(betaArms(1, 12), fc.nat(), fc.integer({ min: 1, max: 12 }), (arms, seed, kRaw) => {
        const k = Math.min(kRaw, arms.length);
        const policy = new ThompsonPolicy();
        const scores = new Float64Array(arms.length);
        policy.score(arms, createRng(seed), scores);
        const argsort = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]!);
        assert.deepEqual(rankTopK(policy, arms, k, createRng(seed)), argsort.slice(0, k));
      }),
      { numRuns: 300 },
    );
  });

  it("returns k distinct valid indices in descending score order, for every policy", () => {
    fc.assert(
      fc.property(fc.constantFrom(...POLICY_KINDS), betaArms(1, 10), fc.nat(), fc.nat(), (kind, arms, seed, kRaw) => {
        const k = 1 + (kRaw % arms.length);
        const r = rankTopK(createPolicy(kind), arms, k, createRng(seed));
        assert.equal(r.length, k);
        assert.equal(new Set(r).size, k);
        for (const i of r) assert.ok(Number.isInteger(i) && i >= 0 && i < arms.length, `index ${i}`);
      }),
      { numRuns: 200 },
    );
  });

  it("scores into the scratch buffer when given one, and gives the same ranking as without", () => {
    const arms = [beta(3, 7), beta(6, 4), beta(5, 5), beta(1, 1)];
    const scratch = new Float64Array(4);
    const withScratch = rankTopK(new ThompsonPolicy(), arms, 3, createRng(9), scratch);
    assert.deepEqual(withScratch, rankTopK(new ThompsonPolicy(), arms, 3, createRng(9)));
    assert.equal(withScratch[0], scratch.indexOf(Math.max(...scratch)));
    assert.deepEqual(rankTopK(new ThompsonPolicy(), arms, 3, createRng(9), new Float64Array(1)), withScratch);
  });

  it("breaks ties at random but keeps strict order", () => {
    const policy = fixedScores([1, 1, 0, Number.POSITIVE_INFINITY]);
    const arms = noArmsButN(4);
    const rng = createRng(5);
    let firstIsZero = 0;
    const draws = 2000;
    for (let d = 0; d < draws; d++) {
      const r = rankTopK(policy, arms, 4, rng);
      assert.equal(r[0], 3);
      assert.equal(r[3], 2);
      if (r[1] === 0) firstIsZero++;
    }
    withinSe(firstIsZero / draws, 0.5, draws, "tie at slot 1");
  });

  it("rejects bad k and empty arms", () => {
    const arms = noArmsButN(3);
    const p = new ThompsonPolicy();
    expectError(() => rankTopK(p, arms, 4, createRng(1)), "BANDITRY_K_EXCEEDS_ARMS", "k");
    for (const k of [0, -1, 1.5, Number.NaN]) {
      expectError(() => rankTopK(p, arms, k, createRng(1)), "BANDITRY_INVALID_PARAMETER", "k");
    }
    expectError(() => rankTopK(p, [], 1, createRng(1)), "BANDITRY_NO_ACTIVE_ARMS", "arms");
    assert.throws(() => rankTopK(p, arms, 4, createRng(1)), /k must be <= the number of arms \(3\), got 4/);
  });
});

describe("selectionProbabilities", () => {
  it("sums to 1 and stays in [0, 1] for every policy, exact or Monte Carlo", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POLICY_KINDS),
        betaArms(1, 8),
        fc.nat(),
        fc.boolean(),
        (kind, arms, seed, forceMonteCarlo) => {
          const r = selectionProbabilities(createPolicy(kind), arms, createRng(seed), { draws: 64, forceMonteCarlo });
          let sum = 0;
          for (const p of r.probabilities) {
            assert.ok(p >= 0 && p <= 1, `probability ${p}`);
            sum += p;
          }
          assert.ok(Math.abs(sum - 1) < 1e-9, `sum ${sum}`);
          assert.ok(r.standardError >= 0 && r.standardError <= 0.5 / Math.sqrt(64) + 1e-12, `se ${r.standardError}`);
          if (r.exact) assert.deepEqual([r.draws, r.standardError], [0, 0]);
          else assert.equal(r.draws, 64);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("is exact for a single arm, and for thompson uses Monte Carlo with 1000 draws by default", () => {
    const one = selectionProbabilities(new ThompsonPolicy(), [beta(1, 1)], createRng(1));
    assert.deepEqual([Array.from(one.probabilities), one.exact, one.draws], [[1], true, 0]);
    const mc = selectionProbabilities(new ThompsonPolicy(), [beta(1, 1), beta(2, 1)], createRng(1));
    assert.deepEqual([mc.exact, mc.draws], [false, 1000]);
  });

  it("Monte Carlo estimates are within 4 standard errors of the exact probabilities (epsilon-greedy, uniform)", () => {
    const arms = [beta(3, 7), beta(6, 4), beta(6, 4), beta(1, 1), beta(20, 30)];
    for (const policy of [createPolicy("epsilon-greedy", { epsilon: 0.3 }), createPolicy("uniform")]) {
      const exact = selectionProbabilities(policy, arms, createRng(1));
      assert.equal(exact.exact, true);
      const draws = 20_000;
      const mc = selectionProbabilities(policy, arms, createRng(2), { draws, forceMonteCarlo: true });
      assert.equal(mc.exact, false);
      for (let i = 0; i < arms.length; i++) {
        withinSe(mc.probabilities[i]!, exact.probabilities[i]!, draws, `${policy.kind} arm ${i}`);
      }
    }
  });

  it("thompson on two Beta arms is within 4 standard errors of P(X > Y) by numeric integration", () => {
    const arms = [beta(4, 2), beta(3, 3)]; // Beta(5, 3) vs Beta(4, 4)
    const exact = probGreater(5, 3, 4, 4);
    const draws = 20_000;
    const mc = selectionProbabilities(new ThompsonPolicy(), arms, createRng(3), { draws });
    withinSe(mc.probabilities[0]!, exact, draws, "P(X > Y)");
  });

  it("gives the same estimate with a scratch buffer as without", () => {
    const arms = [beta(3, 7), beta(6, 4), beta(5, 5)];
    const plain = selectionProbabilities(new ThompsonPolicy(), arms, createRng(6), { draws: 500 });
    const scratch = new Float64Array(8);
    const withScratch = selectionProbabilities(new ThompsonPolicy(), arms, createRng(6), { draws: 500, scratch });
    assert.deepEqual(withScratch, plain);
  });

  it("rejects bad draws and empty arms", () => {
    for (const draws of [0, -5, 2.5, Number.NaN]) {
      expectError(
        () => selectionProbabilities(new ThompsonPolicy(), noArmsButN(2), createRng(1), { draws }),
        "BANDITRY_INVALID_PARAMETER",
        "draws",
      );
    }
    expectError(
      () => selectionProbabilities(new ThompsonPolicy(), [], createRng(1)),
      "BANDITRY_NO_ACTIVE_ARMS",
      "arms",
    );
  });
});

describe("rankProbabilities", () => {
  it("gives per-slot propensities: rows sum to 1, P(in top k) sums to k", () => {
    const arms = [beta(3, 7), beta(6, 4), beta(5, 5), beta(1, 1)];
    const r = rankProbabilities(new ThompsonPolicy(), arms, 3, createRng(1), { draws: 2000 });
    assert.equal(r.byPosition.length, 3);
    for (const row of r.byPosition) {
      const sum = row.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-9, `row sums to ${sum}`);
    }
    const inTop = r.inTopK.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(inTop - 3) < 1e-9, `P(in top k) sums to ${inTop}`);
    assert.deepEqual([r.exact, r.draws, r.k], [false, 2000, 3]);
  });

  it("slot 1 of two Beta arms has the complementary probability of slot 0", () => {
    const exact = probGreater(5, 3, 4, 4);
    const draws = 20_000;
    const r = rankProbabilities(new ThompsonPolicy(), [beta(4, 2), beta(3, 3)], 2, createRng(4), { draws });
    withinSe(r.byPosition[0]![0]!, exact, draws, "slot 0");
    withinSe(r.byPosition[1]![0]!, 1 - exact, draws, "slot 1");
    assert.deepEqual(Array.from(r.inTopK), [1, 1]);
  });

  it("is uniform over slots for the uniform policy, within 4 standard errors", () => {
    const draws = 10_000;
    const r = rankProbabilities(createPolicy("uniform"), noArmsButN(4), 2, createRng(5), { draws });
    for (const row of r.byPosition) for (const p of row) withinSe(p, 0.25, draws, "uniform slot");
  });

  it("is exact for k = 1 when the policy knows its probabilities", () => {
    const r = rankProbabilities(createPolicy("epsilon-greedy"), [beta(1, 5), beta(5, 1)], 1, createRng(1));
    assert.equal(r.exact, true);
    const [p0, p1] = r.byPosition[0]!;
    assert.ok(Math.abs(p0! - 0.05) < 1e-12 && Math.abs(p1! - 0.95) < 1e-12, `${r.byPosition[0]}`);
  });

  it("rejects bad k", () => {
    expectError(
      () => rankProbabilities(new ThompsonPolicy(), noArmsButN(2), 3, createRng(1)),
      "BANDITRY_K_EXCEEDS_ARMS",
      "k",
    );
    expectError(
      () => rankProbabilities(new ThompsonPolicy(), noArmsButN(2), 0, createRng(1)),
      "BANDITRY_INVALID_PARAMETER",
      "k",
    );
  });
});

describe("normalizedConfidences", () => {
  it("scales non-negative values to sum to 1; all zero is uniform", () => {
    assert.deepEqual(normalizedConfidences([1, 3, 0]), [0.25, 0.75, 0]);
    assert.deepEqual(normalizedConfidences([0, 0, 0, 0]), [0.25, 0.25, 0.25, 0.25]);
    assert.deepEqual(normalizedConfidences([]), []);
  });

  it("rejects negative and non-finite values, naming the entry", () => {
    expectError(() => normalizedConfidences([0.2, -0.1]), "BANDITRY_INVALID_PARAMETER", "values[1]");
    expectError(() => normalizedConfidences([Number.NaN]), "BANDITRY_INVALID_PARAMETER", "values[0]");
  });
});

const letters = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe("blendRankedLists", () => {
  it("interleaves like nginx's smooth weighted round-robin (5, 1, 1 → a a b a c a a)", () => {
    const out = blendRankedLists([letters("a", 10), letters("b", 10), letters("c", 10)], [5, 1, 1], 7);
    assert.deepEqual(out, ["a1", "a2", "b1", "a3", "c1", "a4", "a5"]);
  });

  it("drops duplicates across and within lists and lets an exhausted list drop out", () => {
    assert.deepEqual(
      blendRankedLists(
        [
          ["x", "y", "z"],
          ["y", "w"],
        ],
        [1, 1],
        10,
      ),
      ["x", "y", "z", "w"],
    );
    assert.deepEqual(blendRankedLists([["x", "x", "y"], ["x"]], [1, 5], 10), ["x", "y"]);
    assert.deepEqual(blendRankedLists([["a1"], letters("b", 3)], [10, 1], 10), ["a1", "b1", "b2", "b3"]);
  });

  it("respects n, ignores zero-weight lists, and weighs all lists equally when all weights are 0", () => {
    assert.deepEqual(blendRankedLists([letters("a", 5)], [1], 0), []);
    assert.deepEqual(blendRankedLists([letters("a", 5)], [1], 2), ["a1", "a2"]);
    assert.deepEqual(blendRankedLists([letters("a", 2), letters("b", 2)], [0, 1], 4), ["b1", "b2"]);
    assert.deepEqual(blendRankedLists([letters("a", 2), letters("b", 2)], [0, 0], 4), ["a1", "b1", "a2", "b2"]);
    assert.deepEqual(blendRankedLists([], [], 3), []);
  });

  it("compares items by key when given one", () => {
    const a = [{ id: 1 }, { id: 2 }];
    const b = [{ id: 2 }, { id: 3 }];
    const out = blendRankedLists([a, b], [1, 1], 10, { key: (x) => x.id });
    assert.deepEqual(
      out.map((x) => x.id),
      [1, 2, 3],
    );
    assert.equal(out[1], b[0]);
  });

  it("rejects mismatched or negative weights and a bad n", () => {
    expectError(() => blendRankedLists([["a"]], [1, 2], 1), "BANDITRY_INVALID_PARAMETER", "weights");
    expectError(() => blendRankedLists([["a"], ["b"]], [1, -2], 1), "BANDITRY_INVALID_PARAMETER", "weights[1]");
    for (const n of [-1, 1.5, Number.NaN]) {
      expectError(() => blendRankedLists([["a"]], [1], n), "BANDITRY_INVALID_PARAMETER", "n");
    }
  });

  const listsAndWeights = fc
    .array(fc.tuple(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 15 }), fc.integer({ min: 0, max: 5 })), {
      maxLength: 4,
    })
    .map((pairs) => ({ lists: pairs.map((p) => p[0]), weights: pairs.map((p) => p[1]) }));

  it("property: no duplicates, n respected, and a merge of the lists' orders; deterministic", () => {
    fc.assert(
      fc.property(listsAndWeights, fc.nat({ max: 40 }), ({ lists, weights }, n) => {
        const out = blendRankedLists(lists, weights, n);
        assert.deepEqual(blendRankedLists(lists, weights, n), out);
        assert.equal(new Set(out).size, out.length, "no duplicates");
        const allZero = weights.every((w) => w === 0);
        const contributing = lists.filter((_, i) => allZero || weights[i]! > 0);
        const distinct = new Set(contributing.flat());
        assert.equal(out.length, Math.min(n, distinct.size));
        // every item was the next new item of some contributing list when it was taken
        out.forEach((item, pos) => {
          const before = new Set(out.slice(0, pos));
          const fromSomeList = contributing.some((list) => {
            const at = list.indexOf(item);
            return at >= 0 && list.slice(0, at).every((x) => before.has(x));
          });
          assert.ok(fromSomeList, `item ${item} at ${pos} skipped ahead in every list`);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("property: disjoint lists keep their relative order and, over whole cycles, their weight shares", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        (weights, cycles) => {
          const total = weights.reduce((a, b) => a + b, 0);
          const lists = weights.map((_, i) => letters(String.fromCharCode(97 + i), 100));
          const out = blendRankedLists(lists, weights, total * cycles);
          for (const [i, list] of lists.entries()) {
            const mine = out.filter((x) => x.startsWith(String.fromCharCode(97 + i)));
            assert.deepEqual(mine, list.slice(0, mine.length), "relative order");
            assert.equal(mine.length, weights[i]! * cycles, "share over whole cycles");
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

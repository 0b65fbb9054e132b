import assert from "node:assert/strict";
import { describe, it } from "node:test";
import betainc from "@stdlib/math-base-special-betainc";
import betaln from "@stdlib/math-base-special-betaln";
import { isBanditryError } from "../../src/domain/errors.js";
import { sampleNormal } from "../../src/stats/distributions/normal.js";
import type { Policy, PolicyKind, PolicyOptions } from "../../src/stats/policies/policy.js";
import { createPolicy, POLICIES, POLICY_KINDS } from "../../src/stats/policies/registry.js";
import { ThompsonPolicy } from "../../src/stats/policies/thompson.js";
import { TopTwoThompsonPolicy } from "../../src/stats/policies/top-two-thompson.js";
import { Ucb1Policy } from "../../src/stats/policies/ucb1.js";
import { BetaBernoulliPosterior } from "../../src/stats/posteriors/beta-bernoulli.js";
import type { Posterior, PosteriorKind } from "../../src/stats/posteriors/posterior.js";
import { createPosterior, POSTERIOR_KINDS } from "../../src/stats/posteriors/registry.js";
import { chooseArm } from "../../src/stats/ranking/choose-arm.js";
import { rankProbabilities } from "../../src/stats/ranking/rank-probabilities.js";
import { rankTopK } from "../../src/stats/ranking/rank-top-k.js";
import { selectionProbabilities } from "../../src/stats/ranking/selection-probabilities.js";
import { createRng, type Rng } from "../../src/stats/rng.js";

/** A posterior family the contract suite runs on: fresh arms, and a reward for an arm of a given rank. */
interface Family {
  name: PosteriorKind;
  fresh(): Posterior;
  /** A reward drawn for arm i of `means` (larger mean = better arm). */
  reward(rng: Rng, mean: number): number;
  /** True expected rewards of a test problem, best last. */
  means: number[];
}

const FAMILIES: Family[] = [
  {
    name: "beta",
    fresh: () => new BetaBernoulliPosterior(),
    reward: (rng, mean) => (rng.next() < mean ? 1 : 0),
    means: [0.1, 0.2, 0.3, 0.4, 0.8],
  },
  {
    name: "gaussian",
    fresh: () => createPosterior("gaussian"),
    reward: (rng, mean) => sampleNormal(rng, mean, 0.5),
    means: [0.1, 0.2, 0.3, 0.4, 0.8],
  },
];

function beta(successes: number, failures: number): BetaBernoulliPosterior {
  return new BetaBernoulliPosterior({ alpha: 1, beta: 1 }, successes, failures);
}

/** Arms with some evidence, different per seed. */
function someArms(family: Family, k: number, seed: number): Posterior[] {
  const rng = createRng(seed);
  return Array.from({ length: k }, (_, i) => {
    const arm = family.fresh();
    const n = rng.nextInt(30);
    for (let j = 0; j < n; j++) arm.update(family.reward(rng, family.means[i % family.means.length]!));
    return arm;
  });
}

function shares(policy: Policy, arms: Posterior[], decisions: number, seed: number): number[] {
  const rng = createRng(seed);
  const counts = new Array(arms.length).fill(0);
  const scratch = new Float64Array(arms.length);
  for (let d = 0; d < decisions; d++) counts[chooseArm(policy, arms, rng, scratch)]++;
  return counts.map((c) => c / decisions);
}

function assertDistribution(p: Float64Array, label: string): void {
  let sum = 0;
  for (const x of p) {
    assert.ok(x >= 0 && x <= 1, `${label}: probability ${x} outside [0, 1]`);
    sum += x;
  }
  assert.ok(Math.abs(sum - 1) < 1e-9, `${label}: probabilities sum to ${sum}`);
}

function expectError(fn: () => unknown, code: string, field: string, mention?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isBanditryError(e), `expected a BanditryError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.field, field);
    if (mention !== undefined)
      assert.ok(e.message.includes(mention), `message "${e.message}" should mention ${mention}`);
    return true;
  });
}

/**
 * Least share of decisions on the best arm after learning (default 0.8; over 30 seeds the
 * lowest seen was 0.90). Top-two Thompson plays the leader only about β = 0.5 of the time by design.
 */
const LEARNED_SHARE_FLOOR: Partial<Record<PolicyKind, number>> = { "top-two-thompson": 0.4 };

// The contract every registered policy meets: the list comes from the registry, so a new
// policy is covered as soon as it is registered.
for (const kind of POLICY_KINDS) {
  for (const family of FAMILIES) {
    describe(`policy contract: ${kind} on ${family.name} posteriors`, () => {
      const policy = createPolicy(kind);

      it("has its registry kind", () => {
        assert.equal(policy.kind, kind);
      });

      it("chooses a valid index, for one arm and many", () => {
        for (const k of [1, 2, 5, 17]) {
          const arms = someArms(family, k, k);
          const rng = createRng(k);
          for (let d = 0; d < 200; d++) {
            const i = chooseArm(policy, arms, rng);
            assert.ok(Number.isInteger(i) && i >= 0 && i < k, `index ${i} for ${k} arms`);
          }
        }
      });

      it("is deterministic for a seed", () => {
        const arms = someArms(family, 6, 3);
        const run = (seed: number) => {
          const rng = createRng(seed);
          const choices = Array.from({ length: 100 }, () => chooseArm(policy, arms, rng));
          const ranking = rankTopK(policy, arms, 4, rng);
          const p = Array.from(selectionProbabilities(policy, arms, rng, { draws: 200 }).probabilities);
          return { choices, ranking, p };
        };
        assert.deepEqual(run(11), run(11));
      });

      it("does not always pick the first arm when all arms are tied (fresh arms)", () => {
        const arms = Array.from({ length: 4 }, () => family.fresh());
        const s = shares(policy, arms, 400, 5);
        for (const [i, x] of s.entries()) assert.ok(x > 0.1, `arm ${i} chosen ${x} of the time among equals`);
      });

      it("gives selection probabilities in [0, 1] that sum to 1 (exact and Monte Carlo)", () => {
        for (const k of [1, 2, 7]) {
          const arms = someArms(family, k, 20 + k);
          const rng = createRng(1);
          assertDistribution(selectionProbabilities(policy, arms, rng).probabilities, `k=${k}`);
          const mc = selectionProbabilities(policy, arms, rng, { draws: 300, forceMonteCarlo: true });
          assertDistribution(mc.probabilities, `k=${k} forced MC`);
          if (k > 1) assert.equal(mc.exact, false);
          const ranks = rankProbabilities(policy, arms, k, rng, { draws: 300 });
          for (const row of ranks.byPosition) assertDistribution(row, `k=${k} rank row`);
          const inTop = ranks.inTopK.reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(inTop - k) < 1e-9, `P(in top k) sums to ${inTop}`);
        }
      });

      it("ranks k distinct indices, for every k", () => {
        const arms = someArms(family, 6, 9);
        const rng = createRng(2);
        for (let k = 1; k <= 6; k++) {
          const r = rankTopK(policy, arms, k, rng);
          assert.equal(r.length, k);
          assert.equal(new Set(r).size, k);
          for (const i of r) assert.ok(Number.isInteger(i) && i >= 0 && i < 6, `index ${i}`);
        }
      });

      it(
        kind === "uniform" ? "stays uniform after learning" : "learns to choose a clearly best arm most of the time",
        () => {
          const rng = createRng(77);
          const arms = family.means.map(() => family.fresh());
          const scratch = new Float64Array(arms.length);
          const best = family.means.length - 1;
          let bestCount = 0;
          const rounds = 1500;
          const tail = 500;
          for (let t = 0; t < rounds; t++) {
            const i = chooseArm(policy, arms, rng, scratch);
            arms[i]!.update(family.reward(rng, family.means[i]!));
            if (t >= rounds - tail && i === best) bestCount++;
          }
          const share = bestCount / tail;
          if (kind === "uniform") assert.ok(Math.abs(share - 1 / arms.length) < 0.08, `uniform best share ${share}`);
          else {
            const floor = LEARNED_SHARE_FLOOR[kind] ?? 0.8;
            assert.ok(share >= floor, `${kind} chose the best arm ${share} of the last ${tail} decisions`);
          }
        },
      );
    });
  }
}

describe("policy registry", () => {
  it("the contract suite covers every posterior kind", () => {
    assert.deepEqual(FAMILIES.map((f) => f.name).sort(), POSTERIOR_KINDS.slice().sort());
  });

  it("creates every kind and lists the known kinds", () => {
    assert.deepEqual(POLICY_KINDS.slice().sort(), Object.keys(POLICIES).sort());
    for (const kind of ["thompson", "top-two-thompson", "ucb1", "epsilon-greedy", "uniform"] as PolicyKind[]) {
      assert.equal(createPolicy(kind).kind, kind);
    }
  });

  it("rejects an unknown policy, naming the field, the value and the known kinds", () => {
    expectError(() => createPolicy("softmax"), "BANDITRY_UNKNOWN_POLICY", "policy", "softmax");
    expectError(() => createPolicy("softmax"), "BANDITRY_UNKNOWN_POLICY", "policy", "epsilon-greedy");
    expectError(() => createPolicy("toString"), "BANDITRY_UNKNOWN_POLICY", "policy");
  });

  it("validates options, naming the option", () => {
    const bad: [PolicyOptions, string][] = [
      [{ epsilon: -0.1 }, "epsilon"],
      [{ epsilon: 1.5 }, "epsilon"],
      [{ epsilon: Number.NaN }, "epsilon"],
      [{ topTwoBeta: 2 }, "topTwoBeta"],
      [{ topTwoBeta: -1 }, "topTwoBeta"],
      [{ ucbC: -1 }, "ucbC"],
      [{ ucbC: Number.POSITIVE_INFINITY }, "ucbC"],
    ];
    for (const [options, field] of bad) {
      for (const kind of POLICY_KINDS)
        expectError(() => createPolicy(kind, options), "BANDITRY_INVALID_PARAMETER", field);
    }
    expectError(
      () => createPolicy("epsilon-greedy", { epsilom: 0.2 } as PolicyOptions),
      "BANDITRY_INVALID_PARAMETER",
      "epsilom",
    );
    assert.equal((createPolicy("epsilon-greedy", { epsilon: 0 }) as unknown as { epsilon: number }).epsilon, 0);
    assert.equal(
      (createPolicy("epsilon-greedy", { epsilon: undefined }) as unknown as { epsilon: number }).epsilon,
      0.1,
    );
    assert.equal((createPolicy("ucb1", { ucbC: 2 }) as Ucb1Policy).c, 2);
    assert.equal((createPolicy("top-two-thompson", { topTwoBeta: 1 }) as TopTwoThompsonPolicy).beta, 1);
  });
});

/** P(X > Y) for X ~ Beta(a1, b1), Y ~ Beta(a2, b2), a, b ≥ 2 (density 0 at the ends): ∫ f_X(x) F_Y(x) dx by Simpson's rule. */
function probGreater(a1: number, b1: number, a2: number, b2: number): number {
  const m = 4000;
  const h = 1 / m;
  const lnB = betaln(a1, b1);
  const f = (x: number) => {
    if (x <= 0 || x >= 1) return 0;
    return Math.exp((a1 - 1) * Math.log(x) + (b1 - 1) * Math.log1p(-x) - lnB) * betainc(x, a2, b2);
  };
  let s = f(0) + f(1);
  for (let i = 1; i < m; i++) s += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return (s * h) / 3;
}

/** Evan Miller's closed form of P(X > Y) for integer a1: Σ_i B(a2+i, b1+b2) / ((b1+i) B(1+i, b1) B(a2, b2)). */
function probGreaterInteger(a1: number, b1: number, a2: number, b2: number): number {
  let total = 0;
  for (let i = 0; i < a1; i++) {
    total += Math.exp(betaln(a2 + i, b1 + b2) - Math.log(b1 + i) - betaln(1 + i, b1) - betaln(a2, b2));
  }
  return total;
}

describe("thompson", () => {
  it("scores are one posterior draw per arm", () => {
    const arms = [beta(3, 4), beta(10, 2), beta(0, 0)];
    const out = new Float64Array(3);
    new ThompsonPolicy().score(arms, createRng(4), out);
    const rng = createRng(4);
    assert.deepEqual(Array.from(out), [arms[0]!.sample(rng), arms[1]!.sample(rng), arms[2]!.sample(rng)]);
  });

  it("the numeric integral of P(X > Y) matches the closed form", () => {
    for (const [a1, b1, a2, b2] of [
      [5, 3, 4, 4],
      [12, 30, 9, 31],
      [2, 2, 2, 2],
    ] as const) {
      const numeric = probGreater(a1, b1, a2, b2);
      const closed = probGreaterInteger(a1, b1, a2, b2);
      assert.ok(Math.abs(numeric - closed) < 1e-7, `${numeric} vs ${closed}`);
    }
  });

  it("Monte Carlo selection probabilities of two Beta arms are within 4 standard errors of P(X > Y)", () => {
    const arms = [beta(11, 29), beta(8, 30)]; // Beta(12, 30) vs Beta(9, 31)
    const exact = probGreater(12, 30, 9, 31);
    const est = selectionProbabilities(new ThompsonPolicy(), arms, createRng(8), { draws: 20_000 });
    assert.equal(est.exact, false);
    assert.equal(est.draws, 20_000);
    const se = Math.sqrt((exact * (1 - exact)) / est.draws);
    assert.ok(Math.abs(est.probabilities[0]! - exact) < 4 * se, `${est.probabilities[0]} vs ${exact} (se ${se})`);
    assert.ok(Math.abs(est.standardError - se) < 0.1 * se, "reported standard error");
  });
});

describe("top-two-thompson", () => {
  it("with β = 1 plays the leader of one draw (Thompson after the coin)", () => {
    const arms = [beta(3, 4), beta(10, 2), beta(5, 5)];
    const out = new Float64Array(3);
    new TopTwoThompsonPolicy(1).score(arms, createRng(6), out);
    const rng = createRng(6);
    rng.next(); // the β coin
    const expected = new Float64Array(3);
    new ThompsonPolicy().score(arms, rng, expected);
    assert.deepEqual(out, expected);
  });

  it("with β = 0 never plays a dominant leader; the challenger is the runner-up", () => {
    const arms = [beta(900, 100), beta(500, 500), beta(100, 900)];
    const s = shares(new TopTwoThompsonPolicy(0), arms, 300, 3);
    assert.equal(s[0], 0);
    assert.equal(s[1], 1);
  });

  it("chooses arm A of two with probability β·p + (1 − β)·(1 − p), p = P(A leads)", () => {
    const arms = [beta(11, 29), beta(8, 30)];
    const p = probGreater(12, 30, 9, 31);
    for (const b of [0.5, 0.8]) {
      const expected = b * p + (1 - b) * (1 - p);
      const est = selectionProbabilities(new TopTwoThompsonPolicy(b), arms, createRng(9), { draws: 20_000 });
      const se = Math.sqrt((expected * (1 - expected)) / est.draws);
      assert.ok(Math.abs(est.probabilities[0]! - expected) < 4 * se, `β=${b}: ${est.probabilities[0]} vs ${expected}`);
    }
  });
});

describe("ucb1", () => {
  it("scores mean + c·sqrt(2 ln t / n) with t the total evidence, fractional weights included", () => {
    const a = beta(3, 1); // Beta(4, 2) under the uniform prior
    const b = beta(0, 0);
    b.update(1, 0.5);
    b.update(0, 1.5); // count 2, mean (1 + 0.5) / (2 + 2)
    const out = new Float64Array(2);
    new Ucb1Policy(0.7).score([a, b], createRng(1), out);
    const t = 6;
    const expected = [4 / 6 + 0.7 * Math.sqrt((2 * Math.log(t)) / 4), 0.375 + 0.7 * Math.sqrt((2 * Math.log(t)) / 2)];
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(out[i]! - expected[i]!) < 1e-12, `${out[i]} vs ${expected[i]}`);
  });

  it("tries arms without evidence first, at random among them", () => {
    const arms = [beta(50, 0), beta(0, 0), beta(0, 0)];
    const s = shares(new Ucb1Policy(), arms, 400, 4);
    assert.equal(s[0], 0);
    assert.ok(s[1]! > 0.4 && s[2]! > 0.4, `shares ${s}`);
    const exact = selectionProbabilities(new Ucb1Policy(), arms, createRng(1));
    assert.equal(exact.exact, true);
    assert.deepEqual(Array.from(exact.probabilities), [0, 0.5, 0.5]);
  });

  it("is greedy on the mean with c = 0, and its exact probabilities put 1 on the argmax", () => {
    const arms = [beta(3, 7), beta(6, 4), beta(5, 5)];
    const p = selectionProbabilities(createPolicy("ucb1", { ucbC: 0 }), arms, createRng(1));
    assert.deepEqual(Array.from(p.probabilities), [0, 1, 0]);
    assert.deepEqual(shares(createPolicy("ucb1", { ucbC: 0 }), arms, 50, 1), [0, 1, 0]);
  });

  it("keeps a finite bonus when decay leaves less than one observation in total", () => {
    const arms = [beta(0.2, 0.1), beta(0.1, 0.1)];
    const out = new Float64Array(2);
    new Ucb1Policy().score(arms, createRng(1), out);
    assert.ok(
      out.every((x) => Number.isFinite(x)),
      `scores ${out}`,
    );
  });
});

describe("epsilon-greedy", () => {
  it("knows its exact probabilities: ε/K plus 1 − ε shared by the best means", () => {
    const arms = [beta(3, 7), beta(6, 4), beta(6, 4), beta(1, 1)];
    const p = selectionProbabilities(createPolicy("epsilon-greedy", { epsilon: 0.2 }), arms, createRng(1));
    assert.equal(p.exact, true);
    assert.equal(p.standardError, 0);
    const expected = [0.05, 0.05 + 0.4, 0.05 + 0.4, 0.05];
    for (let i = 0; i < 4; i++)
      assert.ok(Math.abs(p.probabilities[i]! - expected[i]!) < 1e-12, `arm ${i}: ${p.probabilities[i]}`);
  });

  it("is greedy with ε = 0 and uniform with ε = 1", () => {
    const arms = [beta(3, 7), beta(6, 4), beta(5, 5)];
    assert.deepEqual(shares(createPolicy("epsilon-greedy", { epsilon: 0 }), arms, 100, 2), [0, 1, 0]);
    const s = shares(createPolicy("epsilon-greedy", { epsilon: 1 }), arms, 3000, 2);
    for (const x of s) assert.ok(Math.abs(x - 1 / 3) < 0.04, `share ${x}`);
  });
});

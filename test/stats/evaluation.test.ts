import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BanditryError } from "../../src/domain/errors.js";
import { fitActionMeanRewardModel } from "../../src/stats/evaluation/action-mean-reward-model.js";
import { doublyRobust } from "../../src/stats/evaluation/doubly-robust.js";
import { evaluatePolicy } from "../../src/stats/evaluation/evaluate-policy.js";
import { ips } from "../../src/stats/evaluation/ips.js";
import type { LoggedDecisions } from "../../src/stats/evaluation/logged-decisions.js";
import { normalQuantile } from "../../src/stats/evaluation/normal-quantile.js";
import type { OffPolicyEstimate } from "../../src/stats/evaluation/off-policy-estimate.js";
import { onPolicyValue } from "../../src/stats/evaluation/on-policy-value.js";
import type { RewardModel } from "../../src/stats/evaluation/reward-model.js";
import { snips } from "../../src/stats/evaluation/snips.js";
import {
  type TargetPolicy,
  targetByPosition,
  targetFromDistribution,
} from "../../src/stats/evaluation/target-policy.js";
import { createRng, type Rng } from "../../src/stats/rng.js";

// A contextual problem whose truth is known: 3 contexts, 4 actions, Bernoulli rewards.
const CONTEXT_P = [0.5, 0.3, 0.2];
const MEAN = [
  [0.1, 0.3, 0.5, 0.2],
  [0.6, 0.2, 0.1, 0.4],
  [0.3, 0.3, 0.8, 0.1],
];
const LOGGING = [
  [0.4, 0.3, 0.2, 0.1],
  [0.1, 0.2, 0.3, 0.4],
  [0.25, 0.25, 0.25, 0.25],
];
const TARGET = [
  [0.1, 0.1, 0.7, 0.1],
  [0.7, 0.1, 0.1, 0.1],
  [0, 0.2, 0.8, 0],
];
const TRUE_VALUE = CONTEXT_P.reduce((v, px, x) => v + px * TARGET[x]!.reduce((s, p, a) => s + p * MEAN[x]![a]!, 0), 0);

function categorical(rng: Rng, p: readonly number[]): number {
  let u = rng.next();
  for (let i = 0; i < p.length - 1; i++) {
    u -= p[i]!;
    if (u < 0) return i;
  }
  return p.length - 1;
}

interface Synthetic {
  data: LoggedDecisions;
  contexts: Int32Array;
  target: TargetPolicy;
  /** q̂ = the true mean reward. */
  perfectModel: RewardModel;
}

function simulate(n: number, seed: number): Synthetic {
  const rng = createRng(seed);
  const contexts = new Int32Array(n);
  const actions = new Int32Array(n);
  const rewards = new Float64Array(n);
  const propensities = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = categorical(rng, CONTEXT_P);
    const a = categorical(rng, LOGGING[x]!);
    contexts[i] = x;
    actions[i] = a;
    propensities[i] = LOGGING[x]![a]!;
    rewards[i] = rng.next() < MEAN[x]![a]! ? 1 : 0;
  }
  const data = { actions, rewards, propensities };
  return {
    data,
    contexts,
    target: targetFromDistribution(data, (i) => TARGET[contexts[i]!]!),
    perfectModel: { predict: (i, a) => MEAN[contexts[i]!]![a]! },
  };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

function throwsField(fn: () => unknown, field: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BanditryError, `expected a BanditryError, got ${String(e)}`);
    assert.equal(e.code, "BANDITRY_INVALID_PARAMETER");
    assert.equal(e.field, field, `field of "${e.message}"`);
    return true;
  });
}

describe("normalQuantile", () => {
  it("matches known quantiles to full precision and is antisymmetric", () => {
    assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-13, "Φ⁻¹(0.975)");
    assert.ok(Math.abs(normalQuantile(0.5)) < 1e-15, "Φ⁻¹(0.5)");
    assert.ok(Math.abs(normalQuantile(1e-10) + 6.361340902404056) < 1e-9, "Φ⁻¹(1e-10)");
    assert.ok(Math.abs(normalQuantile(0.01) + normalQuantile(0.99)) < 1e-14, "symmetry");
  });
});

describe("IPS, SNIPS, DR on a contextual problem with a known value", () => {
  const REPEATS = 300;
  const N = 1000;
  const runs = Array.from({ length: REPEATS }, (_, r) => {
    const s = simulate(N, 1000 + r);
    return {
      ips: ips(s.data, s.target),
      snips: snips(s.data, s.target),
      dr: doublyRobust(s.data, s.target, fitActionMeanRewardModel(s.data)),
      drPerfect: doublyRobust(s.data, s.target, s.perfectModel),
    };
  });

  for (const kind of ["ips", "snips", "dr"] as const) {
    it(`${kind}: mean over ${REPEATS} seeded repeats is within its Monte Carlo error of the truth; 95% CIs cover ≈95%`, () => {
      const values = runs.map((r) => r[kind].value);
      const m = mean(values);
      const tolerance = (4 * sd(values)) / Math.sqrt(REPEATS);
      assert.ok(Math.abs(m - TRUE_VALUE) < tolerance, `${kind} mean ${m} vs truth ${TRUE_VALUE} (±${tolerance})`);
      const covered = runs.filter((r) => r[kind].lower <= TRUE_VALUE && TRUE_VALUE <= r[kind].upper).length;
      assert.ok(covered / REPEATS > 0.9 && covered / REPEATS < 0.99, `${kind} coverage ${covered}/${REPEATS}`);
      // the reported standard error matches the spread of the estimates across repeats
      const ratio = mean(runs.map((r) => r[kind].standardError)) / sd(values);
      assert.ok(ratio > 0.85 && ratio < 1.15, `${kind} mean SE / sd of estimates = ${ratio}`);
    });
  }

  it("DR with a perfect reward model has lower variance than IPS (per run and across runs)", () => {
    const lower = runs.filter((r) => r.drPerfect.standardError < r.ips.standardError).length;
    assert.equal(lower, REPEATS, "DR's SE below IPS's in every run");
    const varianceRatio = sd(runs.map((r) => r.drPerfect.value)) ** 2 / sd(runs.map((r) => r.ips.value)) ** 2;
    assert.ok(varianceRatio < 0.6, `variance DR(perfect) / IPS = ${varianceRatio}`);
    const m = mean(runs.map((r) => r.drPerfect.value));
    assert.ok(Math.abs(m - TRUE_VALUE) < 0.005, `DR(perfect) mean ${m} vs ${TRUE_VALUE}`);
  });

  it("reports diagnostics: ESS = (Σw)²/Σw², max and mean weight", () => {
    const s = simulate(N, 7);
    const e = ips(s.data, s.target);
    const w = Array.from(s.data.actions, (_, i) => s.target.probabilities[i]! / s.data.propensities[i]!);
    const sum = w.reduce((a, b) => a + b, 0);
    const sum2 = w.reduce((a, b) => a + b * b, 0);
    assert.ok(Math.abs(e.effectiveSampleSize - (sum * sum) / sum2) < 1e-9, `ESS ${e.effectiveSampleSize}`);
    assert.equal(e.maxWeight, Math.max(...w));
    assert.ok(Math.abs(e.meanWeight - sum / N) < 1e-12, `mean weight ${e.meanWeight}`);
    assert.equal(e.records, N);
    assert.equal(e.clippedWeights, 0);
    assert.equal(e.interval, "normal");
    assert.ok(Math.abs(e.upper - e.value - 1.959963984540054 * e.standardError) < 1e-12, "normal interval half-width");
  });
});

describe("SNIPS", () => {
  it("equals IPS when the weights average to 1 (uniform logging, every action logged equally often)", () => {
    const A = 4;
    const n = 400;
    const rng = createRng(3);
    const actions = Int32Array.from({ length: n }, (_, i) => i % A);
    const rewards = Float64Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
    const data = { actions, rewards, propensities: new Float64Array(n).fill(1 / A) };
    const target = targetFromDistribution(data, () => [0.1, 0.2, 0.3, 0.4]);
    const a = ips(data, target);
    const b = snips(data, target);
    assert.ok(Math.abs(a.meanWeight - 1) < 1e-12, `mean weight ${a.meanWeight}`);
    assert.ok(Math.abs(a.value - b.value) < 1e-12, `IPS ${a.value} vs SNIPS ${b.value}`);
  });

  it("is invariant to a constant reward shift (IPS is not) when the weights do not average to 1", () => {
    const s = simulate(300, 11);
    const shifted = { ...s.data, rewards: Float64Array.from(s.data.rewards, (r) => r + 10) };
    assert.ok(
      Math.abs(snips(shifted, s.target).value - snips(s.data, s.target).value - 10) < 1e-9,
      "SNIPS shifts by exactly 10",
    );
    const meanWeight = ips(s.data, s.target).meanWeight;
    const ipsShift = ips(shifted, s.target).value - ips(s.data, s.target).value;
    assert.ok(Math.abs(ipsShift - 10 * meanWeight) < 1e-9, `IPS shifts by 10·mean weight = ${10 * meanWeight}`);
  });
});

describe("weight clipping", () => {
  const s = simulate(1000, 21);
  const raw = Array.from(s.data.actions, (_, i) => s.target.probabilities[i]! / s.data.propensities[i]!);

  it("caps every weight at clip and counts the capped ones", () => {
    const e = ips(s.data, s.target, { clip: 2 });
    assert.equal(e.maxWeight, 2);
    assert.equal(e.clippedWeights, raw.filter((w) => w > 2).length);
    assert.ok(e.clippedWeights > 0, "some weights above 2 in this design");
    // rewards ≥ 0: lowering weights can only lower IPS
    assert.ok(e.value < ips(s.data, s.target).value, "clipped IPS below unclipped");
    assert.ok(e.standardError < ips(s.data, s.target).standardError, "clipping lowers the SE");
    const dr = doublyRobust(s.data, s.target, s.perfectModel, { clip: 2 });
    assert.equal(dr.maxWeight, 2);
  });

  it("changes nothing when clip is at or above the largest weight", () => {
    const a = ips(s.data, s.target);
    const b = ips(s.data, s.target, { clip: Math.max(...raw) });
    assert.equal(b.value, a.value);
    assert.equal(b.clippedWeights, 0);
  });

  it("rejects a clip that is not a positive number", () => {
    throwsField(() => ips(s.data, s.target, { clip: 0 }), "clip");
    throwsField(() => ips(s.data, s.target, { clip: Number.NaN }), "clip");
  });
});

describe("bootstrap intervals", () => {
  const s = simulate(800, 31);

  it("are reproducible from the seed and close to the normal approximation", () => {
    for (const estimator of [ips, snips] as const) {
      const normal = estimator(s.data, s.target);
      const a = estimator(s.data, s.target, { bootstrap: { rng: createRng(5), replicates: 2000 } });
      const b = estimator(s.data, s.target, { bootstrap: { rng: createRng(5), replicates: 2000 } });
      assert.deepEqual(a, b);
      assert.equal(a.interval, "bootstrap");
      assert.equal(a.replicates, 2000);
      assert.equal(a.value, normal.value);
      const ratio = a.standardError / normal.standardError;
      assert.ok(ratio > 0.9 && ratio < 1.1, `${normal.estimator} bootstrap SE / normal SE = ${ratio}`);
      assert.ok(a.lower < a.value && a.value < a.upper, "interval around the estimate");
      assert.ok(Math.abs(a.lower - normal.lower) < 0.2 * (normal.upper - normal.lower), "lower bounds agree");
    }
  });

  it("rejects a replicate count below 2", () => {
    throwsField(
      () => ips(s.data, s.target, { bootstrap: { rng: createRng(1), replicates: 1 } }),
      "bootstrap.replicates",
    );
  });
});

describe("position-wise (slate) evaluation", () => {
  // 3 positions with different click rates, uniform logging over 5 items at each position
  const ITEMS = 5;
  const CTR = [
    [0.05, 0.1, 0.2, 0.05, 0.3],
    [0.03, 0.06, 0.1, 0.02, 0.2],
    [0.01, 0.04, 0.05, 0.01, 0.1],
  ];
  const BY_POSITION = [
    [0.1, 0.1, 0.2, 0, 0.6],
    [0.2, 0.2, 0.4, 0, 0.2],
    [0.3, 0.3, 0.2, 0.1, 0.1],
  ];
  function slateLog(n: number, seed: number): LoggedDecisions {
    const rng = createRng(seed);
    const positions = Int32Array.from({ length: n }, (_, i) => i % 3);
    const actions = Int32Array.from({ length: n }, () => rng.nextInt(ITEMS));
    const rewards = Float64Array.from(actions, (a, i) => (rng.next() < CTR[positions[i]!]![a]! ? 1 : 0));
    return { actions, rewards, propensities: new Float64Array(n).fill(1 / ITEMS), positions };
  }
  const truthAt = (p: number) => BY_POSITION[p]!.reduce((s, q, a) => s + q * CTR[p]![a]!, 0);
  const truth = (truthAt(0) + truthAt(1) + truthAt(2)) / 3; // positions logged equally often

  it("estimates the mean reward per impression overall and per position, covering the truth", () => {
    const data = slateLog(30_000, 41);
    const r = evaluatePolicy(data, targetByPosition(data, BY_POSITION));
    assert.deepEqual(Object.keys(r.estimates), ["ips", "snips", "dr"]);
    for (const e of Object.values(r.estimates) as OffPolicyEstimate[]) {
      assert.ok(e.lower <= truth && truth <= e.upper, `${e.estimator} [${e.lower}, ${e.upper}] vs ${truth}`);
    }
    assert.equal(r.byPosition?.length, 3);
    for (const p of r.byPosition!) {
      assert.equal(p.records, 10_000);
      const e = p.estimates.dr!;
      const t = truthAt(p.position);
      assert.ok(e.lower <= t && t <= e.upper, `position ${p.position}: DR [${e.lower}, ${e.upper}] vs ${t}`);
    }
    // IPS is a plain mean: overall = record-weighted mean of the positions
    const pooled = r.byPosition!.reduce((s, p) => s + (p.records * p.estimates.ips!.value) / r.records, 0);
    assert.ok(Math.abs(pooled - r.estimates.ips!.value) < 1e-12, "overall IPS = weighted mean of positions");
    assert.equal(r.rewardModel?.kind, "action-mean");
    assert.ok(r.rewardModel?.kind === "action-mean" && r.rewardModel.byPosition, "q̂ by (item, position)");
  });

  it("rejects a position without a target distribution, or a target without positions", () => {
    const data = slateLog(30, 1);
    throwsField(() => targetByPosition(data, BY_POSITION.slice(0, 2)), "positions");
    throwsField(() => targetByPosition({ ...data, positions: undefined }, BY_POSITION), "positions");
  });
});

describe("cross-fitted action-mean reward model", () => {
  const s = simulate(200, 51);

  it("predicts a record without its own reward (and with the other folds' rewards)", () => {
    const flipped = Float64Array.from(s.data.rewards);
    flipped[7] = 1 - flipped[7]!;
    const a = fitActionMeanRewardModel(s.data, { folds: 4, priorStrength: 0 });
    const b = fitActionMeanRewardModel({ ...s.data, rewards: flipped }, { folds: 4, priorStrength: 0 });
    const act = s.data.actions[7]!;
    assert.equal(b.predict(7, act), a.predict(7, act), "own fold unchanged");
    assert.notEqual(b.predict(8, act), a.predict(8, act), "another fold sees the change");
  });

  it("is the raw mean of the other folds at strength 0 and the overall mean at a huge strength", () => {
    const model = fitActionMeanRewardModel(s.data, { folds: 2, priorStrength: 0 });
    const others = [];
    for (let i = 1; i < 200; i += 2) if (s.data.actions[i] === 2) others.push(s.data.rewards[i]!);
    assert.ok(Math.abs(model.predict(0, 2) - mean(others)) < 1e-12, "fold 0 predicts from fold 1");
    const flat = fitActionMeanRewardModel(s.data, { folds: 2, priorStrength: 1e12 });
    const fold1 = Array.from(s.data.rewards).filter((_, i) => i % 2 === 1);
    for (let a = 0; a < 4; a++) assert.ok(Math.abs(flat.predict(0, a) - mean(fold1)) < 1e-9, `action ${a} at μ`);
    assert.equal(flat.predict(0, 99), mean(fold1), "an action never logged gets the mean");
  });

  it("estimates a finite strength when the actions differ, Infinity when they cannot", () => {
    const big = simulate(5000, 52);
    const model = fitActionMeanRewardModel(big.data);
    assert.equal(model.folds, 5);
    for (const m of model.priorStrengths) assert.ok(m > 0 && Number.isFinite(m), `strength ${m}`);
    const constant = { ...big.data, rewards: new Float64Array(5000).fill(1) };
    assert.deepEqual(fitActionMeanRewardModel(constant).priorStrengths, [
      Infinity,
      Infinity,
      Infinity,
      Infinity,
      Infinity,
    ]);
  });

  it("rejects bad folds and strengths", () => {
    throwsField(() => fitActionMeanRewardModel(s.data, { folds: 1 }), "folds");
    throwsField(() => fitActionMeanRewardModel(s.data, { folds: 2.5 }), "folds");
    throwsField(() => fitActionMeanRewardModel(s.data, { priorStrength: -1 }), "priorStrength");
  });
});

describe("input errors name the field", () => {
  const s = simulate(10, 61);
  const with_ = (patch: Partial<LoggedDecisions>) => ({ ...s.data, ...patch });
  const edit = (values: ArrayLike<number>, at: number, v: number) => {
    const copy = Float64Array.from(values);
    copy[at] = v;
    return copy;
  };

  it("propensity ≤ 0, > 1 or NaN", () => {
    for (const p of [0, -0.1, 1.5, Number.NaN]) {
      throwsField(() => ips(with_({ propensities: edit(s.data.propensities, 3, p) }), s.target), "propensities");
    }
  });

  it("NaN or infinite rewards; bad actions and positions", () => {
    throwsField(() => snips(with_({ rewards: edit(s.data.rewards, 0, Number.NaN) }), s.target), "rewards");
    throwsField(() => ips(with_({ rewards: edit(s.data.rewards, 9, Infinity) }), s.target), "rewards");
    throwsField(() => ips(with_({ actions: edit(s.data.actions, 1, 1.5) }), s.target), "actions");
    throwsField(() => ips(with_({ positions: new Int32Array(10).fill(-1) }), s.target), "positions");
  });

  it("mismatched lengths and too few records", () => {
    throwsField(() => ips(with_({ rewards: Array.from(s.data.rewards).slice(0, 9) }), s.target), "rewards");
    throwsField(() => ips(with_({ propensities: [] }), s.target), "propensities");
    throwsField(() => ips(with_({ positions: [0, 1] }), s.target), "positions");
    throwsField(() => ips(s.data, { probabilities: [0.5] }), "target.probabilities");
    throwsField(() => ips({ actions: [0], rewards: [1], propensities: [1] }, { probabilities: [1] }), "actions");
  });

  it("target probabilities outside [0, 1], a distribution that does not sum to 1, DR without a distribution", () => {
    const probabilities = edit(s.target.probabilities, 2, 1.2);
    throwsField(() => ips(s.data, { probabilities }), "target.probabilities");
    throwsField(() => targetFromDistribution(s.data, () => [0.5, 0.4, 0, 0]), "target.distribution");
    throwsField(() => targetFromDistribution(s.data, () => [1]), "target.distribution");
    throwsField(
      () => doublyRobust(s.data, { probabilities: s.target.probabilities }, s.perfectModel),
      "target.distribution",
    );
    throwsField(() => doublyRobust(s.data, s.target, { predict: () => Number.NaN }), "rewardModel");
  });

  it("SNIPS with every logged action at target probability 0, and a bad level", () => {
    throwsField(() => snips(s.data, { probabilities: new Float64Array(10) }), "target.probabilities");
    assert.equal(ips(s.data, { probabilities: new Float64Array(10) }).value, 0);
    throwsField(() => ips(s.data, s.target, { level: 1 }), "level");
  });
});

describe("onPolicyValue", () => {
  it("is the mean reward with the standard error of the mean", () => {
    const r = onPolicyValue([1, 0, 0, 1, 0, 0, 0, 0]);
    assert.equal(r.value, 0.25);
    const se = Math.sqrt((0.25 * 0.75 * 8) / 7 / 8);
    assert.ok(Math.abs(r.standardError - se) < 1e-15, `SE ${r.standardError} vs ${se}`);
    assert.equal(r.records, 8);
    throwsField(() => onPolicyValue([0, Number.NaN]), "rewards");
  });
});

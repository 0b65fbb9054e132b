import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BanditryError } from "../../src/domain/errors.js";
import { createRng } from "../../src/stats/rng.js";
import { linearCheckpoints, logCheckpoints } from "../../src/stats/simulation/checkpoints.js";
import { Environment } from "../../src/stats/simulation/environment.js";
import { type EnvironmentSpec, gapMeans } from "../../src/stats/simulation/environment-spec.js";
import { bernoulliKL, laiRobbins } from "../../src/stats/simulation/lai-robbins.js";
import { repSeed } from "../../src/stats/simulation/rep-seed.js";
import { runReps, type SimulationOptions, simulate, summarizeReps } from "../../src/stats/simulation/simulate.js";

const bernoulli = (means: number[], drift?: EnvironmentSpec["drift"]): EnvironmentSpec => ({
  reward: "bernoulli",
  means,
  drift,
});

function run(o: Partial<SimulationOptions> & Pick<SimulationOptions, "environment">) {
  return simulate({ policy: "thompson", horizon: 1000, reps: 8, seed: 7, ...o });
}

describe("simulate", () => {
  it("is deterministic per seed, and the seed matters", () => {
    const o = { environment: bernoulli(gapMeans(5, 0.5, 0.1)), horizon: 500, reps: 4 };
    const a = run(o);
    assert.deepEqual(run(o), a);
    assert.notDeepEqual(run({ ...o, seed: 8 }).repRegrets, a.repRegrets);
    // a rep's result does not depend on how many reps run: rep r's seeds come from (seed, r) only
    assert.deepEqual(run({ ...o, reps: 2 }).repRegrets, a.repRegrets.slice(0, 2));
    // reps split into chunks (as workers run them) merge into the same result
    const full = { policy: "thompson", seed: 7, ...o };
    assert.deepEqual(summarizeReps(full, [runReps(full, 2, 4), runReps(full, 0, 2)]), a);
    assert.throws(() => summarizeReps(full, [runReps(full, 0, 2)]), /rep 2 missing/);
  });

  it("has zero regret and full best-arm share when all arms are equal", () => {
    for (const policy of ["thompson", "uniform", "ucb1"]) {
      const r = run({ environment: bernoulli([0.3, 0.3, 0.3, 0.3]), policy, reps: 3 });
      assert.equal(r.regret.mean, 0, policy);
      assert.equal(r.bestArmShare, 1, policy);
      assert.equal(r.laiRobbins.C, 0);
    }
  });

  it("gives the uniform policy a regret of T times the mean gap", () => {
    const T = 4000;
    const r = run({ environment: bernoulli(gapMeans(10, 0.5, 0.1)), policy: "uniform", horizon: T, reps: 20 });
    const expected = T * 0.09; // nine arms of ten are 0.1 short
    assert.ok(Math.abs(r.regret.mean - expected) < 4 * r.regret.se + 1, `${r.regret.mean} vs ${expected}`);
    assert.ok(Math.abs(r.regret.mean - expected) / expected < 0.02);
    assert.ok(Math.abs(r.bestArmShare - 0.1) < 0.01);
  });

  it("gives Thompson sampling a far smaller regret than uniform on an easy problem", () => {
    const environment = bernoulli([0.1, 0.5, 0.9]);
    const ts = run({ environment, horizon: 2000 });
    const uniform = run({ environment, policy: "uniform", horizon: 2000 });
    assert.ok(uniform.regret.mean > 700); // 2000 · (0.8 + 0.4) / 3 = 800
    assert.ok(ts.regret.mean < 0.05 * uniform.regret.mean, `TS ${ts.regret.mean} vs uniform ${uniform.regret.mean}`);
    assert.ok(ts.bestArmShare > 0.95);
  });

  it("learns Gaussian arms through the Normal-Inverse-Gamma posterior", () => {
    const environment: EnvironmentSpec = { reward: "gaussian", means: [0, 0.5, 1], sd: 1 };
    const ts = run({ environment, horizon: 2000 });
    const uniform = run({ environment, policy: "uniform", horizon: 2000 });
    assert.ok(Math.abs(uniform.regret.mean - 1000) < 50); // 2000 · (1 + 0.5) / 3
    assert.ok(ts.regret.mean < 0.2 * uniform.regret.mean, `TS ${ts.regret.mean}`);
    // Gaussian KL with known sd σ: Δ²/(2σ²), so each term is 2σ²/Δ = 2/1 + 2/0.5
    assert.ok(Math.abs(ts.laiRobbins.C - 6) < 1e-12);
  });

  it("does not lower the regret with delayed or batched feedback", () => {
    const environment = bernoulli(gapMeans(5, 0.6, 0.2));
    // large enough that the effect dwarfs the noise of 10 reps: the first 200 steps are blind
    const base = run({ environment, horizon: 2000, reps: 10 }).regret.mean;
    for (const extra of [{ delay: 200 }, { delay: 400 }, { batch: 200 }, { batch: 400 }]) {
      const r = run({ environment, horizon: 2000, reps: 10, ...extra }).regret.mean;
      assert.ok(r >= base, `${JSON.stringify(extra)}: ${r} < ${base}`);
    }
  });

  it("never learns when the feedback comes after the horizon", () => {
    // one batch of T steps, or a delay of T: every decision is a draw from the prior, i.e. uniform
    const environment = bernoulli(gapMeans(4, 0.5, 0.2));
    const T = 1000;
    const expected = T * 0.15;
    for (const extra of [{ batch: T }, { delay: T }, { delay: 1e9 }]) {
      const r = run({ environment, horizon: T, reps: 20, ...extra });
      assert.ok(Math.abs(r.regret.mean - expected) < 4 * r.regret.se + 1, `${JSON.stringify(extra)}: ${r.regret.mean}`);
    }
  });

  it("records checkpoints whose last value is the final regret", () => {
    const r = run({ environment: bernoulli(gapMeans(3, 0.5, 0.1)), checkpoints: [10, 100, 1000] });
    assert.deepEqual(
      r.checkpoints.map((c) => c.t),
      [10, 100, 1000],
    );
    assert.equal(r.checkpoints[2]!.regretMean, r.regret.mean);
    assert.ok(r.checkpoints[0]!.regretMean <= r.checkpoints[1]!.regretMean);
    assert.ok(r.checkpoints.every((c) => c.se >= 0));
  });

  it("adapts faster to a reversed world with decayed posteriors", () => {
    const environment = bernoulli([0.2, 0.8], [{ kind: "change", at: [1000] }]);
    const stationary = run({ environment, horizon: 3000, reps: 10 });
    const decayed = run({ environment, horizon: 3000, reps: 10, decayHalfLife: 100 });
    assert.ok(
      decayed.regret.mean < 0.5 * stationary.regret.mean,
      `${decayed.regret.mean} vs ${stationary.regret.mean}`,
    );
  });

  it("rejects bad options with the field named", () => {
    const environment = bernoulli([0.1, 0.2]);
    const field = (o: Partial<SimulationOptions>, name: string) =>
      assert.throws(
        () => run({ environment, ...o }),
        (e: unknown) => e instanceof BanditryError && e.field === name,
      );
    field({ policy: "nope" }, "policy");
    field({ horizon: 0 }, "horizon");
    field({ reps: 1.5 }, "reps");
    field({ batch: 0 }, "batch");
    field({ delay: -1 }, "delay");
    field({ decayHalfLife: 0 }, "decayHalfLife");
    field({ environment: bernoulli([0.1, 1.2]) }, "means[1]");
    field({ environment: bernoulli([0.1, 0.2], [{ kind: "change", at: [5000] }]) }, "drift[0].at[0]");
  });
});

describe("Lai–Robbins constant", () => {
  it("matches hand-computed values", () => {
    // KL(0.4 ‖ 0.5) = 0.4·ln(0.4/0.5) + 0.6·ln(0.6/0.5) = 0.0201355…; C = 0.1 / KL = 4.96635
    assert.ok(Math.abs(bernoulliKL(0.4, 0.5) - 0.020135513550688863) < 1e-15);
    const one = laiRobbins([0.4, 0.5], 100);
    assert.ok(Math.abs(one.C - 4.9663496164754575) < 1e-12);
    assert.ok(Math.abs(one.ClnT - 4.9663496164754575 * Math.log(100)) < 1e-12);
    // nine such arms (the benchmark set-up): 44.697; 1.15 · C · ln 10 = 118.4
    assert.ok(Math.abs(laiRobbins(gapMeans(10, 0.5, 0.1), 10).C - 44.697146548279115) < 1e-9);
    // 0.2 / KL(0.7 ‖ 0.9) + 0.1 / KL(0.8 ‖ 0.9)
    assert.ok(Math.abs(laiRobbins([0.7, 0.8, 0.9], 10).C - 3.553644222897532) < 1e-12);
  });

  it("handles the edges of the Bernoulli KL", () => {
    assert.equal(bernoulliKL(0.3, 0.3), 0);
    assert.ok(Math.abs(bernoulliKL(0, 0.5) - Math.log(2)) < 1e-15);
    assert.equal(bernoulliKL(0.5, 1), Number.POSITIVE_INFINITY);
    assert.equal(laiRobbins([0.5, 1], 10).C, 0); // an arm at p* = 1 is told apart at once
  });
});

describe("Environment", () => {
  it("reverses the means at a change step, or sets the given ones", () => {
    const env = new Environment(bernoulli([0.1, 0.2, 0.9], [{ kind: "change", at: [5, 8] }]), createRng(1));
    for (let t = 0; t < 5; t++) env.advance(t);
    assert.deepEqual([...env.means], [0.1, 0.2, 0.9]);
    env.advance(5);
    assert.deepEqual([...env.means], [0.9, 0.2, 0.1]);
    env.advance(6);
    env.advance(7);
    env.advance(8);
    assert.deepEqual([...env.means], [0.1, 0.2, 0.9]);
    const set = new Environment(
      bernoulli([0.1, 0.2], [{ kind: "change", at: [3], means: [[0.7, 0.3]] }]),
      createRng(1),
    );
    for (let t = 0; t < 4; t++) set.advance(t);
    assert.deepEqual([...set.means], [0.7, 0.3]);
    assert.equal(set.best, 0.7);
  });

  it("moves the means by a random walk of the given sigma, clamped to [0, 1]", () => {
    const sigma = 0.01;
    const env = new Environment(bernoulli([0.5, 0.5], [{ kind: "walk", sigma }]), createRng(3));
    let ss = 0;
    const n = 4000;
    for (let t = 0; t < n; t++) {
      const before = env.means[0]!;
      env.advance(t);
      ss += (env.means[0]! - before) ** 2;
      assert.equal(env.best, Math.max(env.means[0]!, env.means[1]!));
    }
    const sd = Math.sqrt(ss / n);
    assert.ok(Math.abs(sd - sigma) < 0.1 * sigma, `step sd ${sd}`);
    const edge = new Environment(bernoulli([0.99, 0.01], [{ kind: "walk", sigma: 0.2 }]), createRng(4));
    let hitOne = false;
    let hitZero = false;
    for (let t = 0; t < 200; t++) {
      edge.advance(t);
      for (const m of edge.means) {
        assert.ok(m >= 0 && m <= 1);
        hitOne ||= m === 1;
        hitZero ||= m === 0;
      }
    }
    assert.ok(hitOne && hitZero);
  });

  it("replaces one arm per churn event with a fresh Beta draw", () => {
    const env = new Environment(
      bernoulli([0.5, 0.5, 0.5], [{ kind: "churn", rate: 1, alpha: 4, beta: 4 }]),
      createRng(5),
    );
    env.advance(0);
    assert.ok(env.replaced >= 0 && env.replaced < 3);
    assert.notEqual(env.means[env.replaced], 0.5);
    assert.equal([...env.means].filter((m) => m === 0.5).length, 2);
    const still = new Environment(bernoulli([0.5, 0.5], [{ kind: "churn", rate: 0, alpha: 4, beta: 4 }]), createRng(5));
    for (let t = 0; t < 100; t++) {
      still.advance(t);
      assert.equal(still.replaced, -1);
    }
  });

  it("follows the same trajectory whichever arms are pulled (common random numbers)", () => {
    const spec = bernoulli([0.3, 0.6], [{ kind: "walk", sigma: 0.02 }]);
    const a = new Environment(spec, createRng(9));
    const b = new Environment(spec, createRng(9));
    for (let t = 0; t < 500; t++) {
      a.advance(t);
      b.advance(t);
      a.reward(0);
      b.reward(1);
    }
    assert.deepEqual([...a.means], [...b.means]);
  });

  it("draws Bernoulli rewards with the arm's probability", () => {
    const env = new Environment(bernoulli([0.25]), createRng(11));
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += env.reward(0);
    assert.ok(Math.abs(sum / 20000 - 0.25) < 0.015);
  });
});

describe("checkpoints and seeds", () => {
  it("spaces checkpoints by log or evenly, ending at the horizon", () => {
    const log = logCheckpoints(100000, 4);
    for (const p of [1, 10, 100, 1000, 10000, 100000]) assert.ok(log.includes(p), `${p}`);
    assert.equal(log.length, 21);
    assert.deepEqual(logCheckpoints(50, 1), [1, 10, 50]);
    assert.deepEqual(linearCheckpoints(1000, 4), [250, 500, 750, 1000]);
  });

  it("derives distinct seeds per rep and stream", () => {
    const seen = new Set<number>();
    for (let r = 0; r < 100; r++) for (const s of [0, 1] as const) seen.add(repSeed(42, r, s));
    assert.equal(seen.size, 200);
    assert.equal(repSeed(42, 3, 1), repSeed(42, 3, 1));
  });
});

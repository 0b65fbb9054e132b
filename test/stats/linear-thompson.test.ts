import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BanditryError, type ErrorCode } from "../../src/domain/errors.js";
import { ContextualWorld } from "../../src/stats/linear/contextual-world.js";
import { type LinearAction, LinearThompson } from "../../src/stats/linear/linear-thompson.js";
import { ThompsonPolicy } from "../../src/stats/policies/thompson.js";
import { BetaBernoulliPosterior } from "../../src/stats/posteriors/beta-bernoulli.js";
import { chooseArm } from "../../src/stats/ranking/choose-arm.js";
import { createRng } from "../../src/stats/rng.js";

function assertBanditryError(fn: () => unknown, code: ErrorCode, field: string, message?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof BanditryError, `expected a BanditryError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.field, field);
    if (message) assert.match(e.message, message);
    return true;
  });
}

/** A model that has learnt a little from a small world (d = 64 keeps these tests fast). */
function trained(seed: number, events = 300, options = { dimension: 64 }) {
  const world = new ContextualWorld({ types: 3, actions: 5 }, createRng(seed));
  const model = new LinearThompson(options);
  const rng = createRng(seed + 1);
  const log: { features: unknown; action: LinearAction; reward: number }[] = [];
  for (let n = 0; n < events; n++) {
    const user = world.context(rng);
    const a = model.choose(user.features, world.actions, rng).chosen;
    const reward = world.reward(user.type, a, rng);
    model.update(user.features, world.actions[a]!, reward);
    log.push({ features: user.features, action: world.actions[a]!, reward });
  }
  return { world, model, log, user: world.context(createRng(seed + 2)) };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): boolean {
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i]! - b[i]!) <= tol)) return false;
  return a.length === b.length;
}

describe("LinearThompson: rank and choose", () => {
  it("is deterministic for a seed, and rank's decision is choose's", () => {
    const { model, world, user } = trained(1);
    const a = model.rank(user.features, world.actions, createRng(42));
    const b = model.rank(structuredClone(user.features), structuredClone(world.actions), createRng(42));
    assert.deepEqual(a, b);
    const c = model.choose(user.features, world.actions, createRng(42));
    assert.equal(c.chosen, a.chosen);
    assert.deepEqual(c.scores, a.scores);
    const other = model.rank(user.features, world.actions, createRng(43));
    assert.notDeepEqual(other.scores, a.scores);
    assert.equal(a.chosen, argmax(a.scores), "the chosen action has the largest sampled score");
  });

  it("gives probabilities that sum to 1, 0 for excluded actions, and never chooses an excluded one", () => {
    const { model, world, user } = trained(2);
    const excluded = ["a1", "a3"];
    for (let seed = 0; seed < 20; seed++) {
      const r = model.rank(user.features, world.actions, createRng(seed), { excluded, draws: 500 });
      const sum = r.probabilities.reduce((s, p) => s + p, 0);
      assert.ok(Math.abs(sum - 1) < 1e-12, `sum ${sum}`);
      assert.equal(r.probabilities[1], 0);
      assert.equal(r.probabilities[3], 0);
      assert.ok(!excluded.includes(world.actions[r.chosen]!.id), `chose excluded ${r.chosen}`);
      assert.equal(r.draws, 500);
      assert.ok(r.standardError > 0 && r.standardError <= Math.sqrt(0.25 / 500), `standard error ${r.standardError}`);
    }
    const only = model.rank(user.features, world.actions, createRng(1), { excluded: ["a0", "a1", "a2", "a3", "x"] });
    assert.deepEqual(Array.from(only.probabilities), [0, 0, 0, 0, 1]);
    assert.equal(only.chosen, 4);
    assert.equal(only.draws, 0);
    assert.equal(only.standardError, 0);
  });

  it("probabilities match how often choose() picks each action (the scores' joint Gaussian is right)", () => {
    const { model, world, user } = trained(3, 150);
    const r = model.rank(user.features, world.actions, createRng(7), { draws: 20_000 });
    const counts = new Float64Array(world.actions.length);
    const n = 4000;
    const rng = createRng(8);
    for (let i = 0; i < n; i++) counts[model.choose(user.features, world.actions, rng).chosen]! += 1;
    let spread = 0;
    for (let a = 0; a < counts.length; a++) {
      const p = r.probabilities[a]!;
      const q = counts[a]! / n;
      const se = Math.sqrt((p * (1 - p)) / n + (p * (1 - p)) / 20_000) + 1e-3;
      assert.ok(Math.abs(p - q) < 4.5 * se, `action ${a}: rank says ${p}, choose picked ${q}`);
      spread = Math.max(spread, p);
    }
    assert.ok(spread < 0.99, "the test needs a posterior that still explores");
  });

  it("reports posterior means and sds that agree with explain() and the regression", () => {
    const { model, world, user } = trained(4);
    const r = model.rank(user.features, world.actions, createRng(1));
    for (let a = 0; a < world.actions.length; a++) {
      const e = model.explain(user.features, world.actions[a]!);
      assert.ok(Math.abs(e.score - r.means[a]!) < 1e-9, `action ${a}: ${e.score} vs ${r.means[a]}`);
      const sum = e.contributions.reduce((s, c) => s + c.contribution, 0);
      assert.ok(Math.abs(sum - e.score) < 1e-9, `contributions add up to the score (${sum} vs ${e.score})`);
      assert.ok(r.sds[a]! > 0 && r.sds[a]! < 2, `sd ${r.sds[a]}`);
    }
  });

  it("rejects bad actions and exclusions, naming the field", () => {
    const model = new LinearThompson({ dimension: 32, maxActions: 3 });
    const ctx = { user: { type: "new" } };
    const rng = createRng(1);
    assertBanditryError(() => model.rank(ctx, [], rng), "BANDITRY_NO_ACTIVE_ARMS", "actions");
    assertBanditryError(
      () => model.rank(ctx, [{ id: "a" }, { id: "a" }], rng),
      "BANDITRY_VALIDATION",
      "actions[1].id",
      /another action/,
    );
    assertBanditryError(
      () => model.rank(ctx, [{ id: "a" }, { id: 7 } as never], rng),
      "BANDITRY_VALIDATION",
      "actions[1].id",
    );
    assertBanditryError(() => model.rank(ctx, [{ id: "" }], rng), "BANDITRY_VALIDATION", "actions[0].id");
    assertBanditryError(() => model.rank(ctx, [null as never], rng), "BANDITRY_VALIDATION", "actions[0]");
    assertBanditryError(
      () => model.rank(ctx, [{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }], rng),
      "BANDITRY_VALIDATION",
      "actions",
    );
    assertBanditryError(
      () => model.rank(ctx, [{ id: "a" }, { id: "b", features: { price: Number.NaN } }], rng),
      "BANDITRY_VALIDATION",
      "actions[1].features.price",
    );
    assertBanditryError(() => model.rank("morning", [{ id: "a" }], rng), "BANDITRY_VALIDATION", "contextFeatures");
    assertBanditryError(
      () => model.rank(ctx, [{ id: "a" }, { id: "b" }], rng, { excluded: ["a", "b"] }),
      "BANDITRY_NO_ACTIVE_ARMS",
      "excluded",
    );
    assertBanditryError(
      () => model.rank(ctx, [{ id: "a" }, { id: "b" }], rng, { draws: 0 }),
      "BANDITRY_INVALID_PARAMETER",
      "draws",
    );
    const wide = new LinearThompson({ dimension: 32, maxVectorFeatures: 10 });
    assertBanditryError(
      () => wide.rank({ a: 1, b: 2, c: 3 }, [{ id: "a", features: { x: 1 } }], rng),
      "BANDITRY_VALIDATION",
      "actions[0]",
      /12 features/,
    );
  });
});

describe("LinearThompson: learning, explanations, persistence", () => {
  it("update() rejects bad rewards and weights; weight 0 learns nothing", () => {
    const model = new LinearThompson({ dimension: 32 });
    const action = { id: "a", features: { type: "News" } };
    assertBanditryError(() => model.update({}, action, Number.NaN), "BANDITRY_INVALID_REWARD", "reward");
    assertBanditryError(() => model.update({}, action, 1, -2), "BANDITRY_INVALID_PARAMETER", "weight");
    assertBanditryError(() => model.update({}, { id: "" }, 1), "BANDITRY_VALIDATION", "action.id");
    assertBanditryError(
      () => model.update({}, { id: "a", features: "News" }, 1),
      "BANDITRY_VALIDATION",
      "action.features",
    );
    model.update({}, action, 1, 0);
    assert.equal(model.count, 0);
    model.update({ u: "x" }, action, 1, 2.5);
    assert.equal(model.count, 2.5);
  });

  it("explains a score with readable names, largest contribution first", () => {
    const model = new LinearThompson({ dimension: 128 });
    const news = { id: "news", features: { type: "News" } };
    const sports = { id: "sports", features: { type: "Sports" } };
    for (let i = 0; i < 50; i++) {
      model.update({ user: { type: "fan" } }, sports, 1);
      model.update({ user: { type: "fan" } }, news, 0);
      model.update({ user: { type: "reader" } }, news, 1);
      model.update({ user: { type: "reader" } }, sports, 0);
    }
    const e = model.explain({ user: { type: "fan" } }, sports);
    assert.deepEqual(e.contributions.map((c) => c.name).sort(), [
      "act.id=sports",
      "act.type=Sports",
      "bias",
      "ctx.user.type=fan",
      "ctx.user.type=fan*act.id=sports",
      "ctx.user.type=fan*act.type=Sports",
    ]);
    const mags = e.contributions.map((c) => Math.abs(c.contribution));
    assert.deepEqual(
      mags,
      [...mags].sort((a, b) => b - a),
    );
    assert.ok(e.score > 0.9, `a fan's expected reward for sports is ~1, got ${e.score}`);
    assert.ok(model.explain({ user: { type: "fan" } }, news).score < 0.1, "and ~0 for news");
    for (const c of e.contributions) assert.equal(c.contribution, c.value * c.weight, c.name);
    assert.equal(model.explain({ user: { type: "fan" } }, sports, { limit: 2 }).contributions.length, 2);
    // repeated names are summed into one entry
    const bag = model.explain({ tags: ["x", "x"] }, news).contributions.find((c) => c.name === "ctx.tags=x");
    assert.equal(bag?.value, 2);
    // the global importance lists the names seen in updates
    const top = model.topFeatures(50);
    assert.ok(
      top.some((f) => f.name === "ctx.user.type=fan*act.id=sports"),
      "named interaction",
    );
    const w = top.map((f) => Math.abs(f.weight));
    assert.deepEqual(
      w,
      [...w].sort((a, b) => b - a),
    );
  });

  it("caps the name table", () => {
    const model = new LinearThompson({ dimension: 32, maxNames: 5 });
    for (let i = 0; i < 10; i++) model.update({ user: `u${i}` }, { id: `a${i}` }, 1);
    assert.equal(model.topFeatures(100).length, 5);
    assert.equal(model.toJSON().names.length, 5);
  });

  it("decay moves the model toward the prior", () => {
    const { model, world, user } = trained(5);
    const norm = (v: Float64Array) => Math.hypot(...v);
    const before = model.rank(user.features, world.actions, createRng(1));
    const weightsBefore = norm(model.regression.mean());
    model.decay(0.05);
    const after = model.rank(user.features, world.actions, createRng(1));
    // decayed evidence is ridge with a larger penalty: the weights shrink, every variance grows
    assert.ok(norm(model.regression.mean()) < weightsBefore, "the weights shrink toward the prior mean 0");
    for (let a = 0; a < world.actions.length; a++) assert.ok(after.sds[a]! > before.sds[a]!, `sd ${a} grows`);
    const prior = new LinearThompson({ dimension: 64 }).rank(user.features, world.actions, createRng(1));
    for (let i = 0; i < 30; i++) model.decay(0.05);
    const forgotten = model.rank(user.features, world.actions, createRng(1));
    assert.ok(close(forgotten.means, prior.means, 1e-9), "means back to the prior's");
    assert.ok(close(forgotten.sds, prior.sds, 1e-9), "sds back to the prior's");
    assertBanditryError(() => model.decay(2), "BANDITRY_INVALID_PARAMETER", "factor");
  });

  it("merge equals learning from both data sets", () => {
    const { log, world, user } = trained(6, 400);
    const half = log.length / 2;
    const learn = (entries: typeof log) => {
      const m = new LinearThompson({ dimension: 64 });
      for (const e of entries) m.update(e.features, e.action, e.reward);
      return m;
    };
    const merged = learn(log.slice(0, half)).merge(learn(log.slice(half)));
    const both = learn(log);
    const a = merged.rank(user.features, world.actions, createRng(9));
    const b = both.rank(user.features, world.actions, createRng(9));
    assert.ok(close(a.means, b.means, 1e-9), "means");
    assert.ok(close(a.sds, b.sds, 1e-9), "sds");
    assert.equal(merged.count, both.count);
    assert.deepEqual(new Set(merged.toJSON().names.map(([, n]) => n)), new Set(both.toJSON().names.map(([, n]) => n)));
    assertBanditryError(
      () => both.merge(new LinearThompson({ dimension: 32 })),
      "BANDITRY_POSTERIOR_MISMATCH",
      "dimension",
    );
    assertBanditryError(
      () => both.merge(new LinearThompson({ dimension: 64, hashSeed: 1 })),
      "BANDITRY_POSTERIOR_MISMATCH",
      "hashSeed",
    );
  });

  it("round-trips through JSON text: the same decisions, probabilities and names", () => {
    const { model, world, user } = trained(7);
    model.decay(0.9);
    const text = JSON.stringify(model);
    const back = LinearThompson.fromJSON(JSON.parse(text));
    assert.equal(JSON.stringify(back), text);
    const a = model.rank(user.features, world.actions, createRng(3));
    const b = back.rank(user.features, world.actions, createRng(3));
    assert.equal(b.chosen, a.chosen);
    assert.deepEqual(b.probabilities, a.probabilities);
    assert.ok(close(b.means, a.means, 1e-12), "means");
    const [ta, tb] = [model.topFeatures(10), back.topFeatures(10)];
    assert.deepEqual(
      tb.map((f) => f.name),
      ta.map((f) => f.name),
    );
    assert.ok(
      close(
        tb.map((f) => f.weight),
        ta.map((f) => f.weight),
        1e-12,
      ),
      "weights (the factor is re-made from the evidence)",
    );
    const clone = model.clone();
    clone.update(user.features, world.actions[0]!, 1);
    assert.equal(JSON.stringify(model), text, "a clone's updates leave the original alone");

    const j = JSON.parse(text);
    assertBanditryError(() => LinearThompson.fromJSON(null), "BANDITRY_INVALID_PARAMETER", "model");
    assertBanditryError(() => LinearThompson.fromJSON({ ...j, kind: "beta" }), "BANDITRY_INVALID_PARAMETER", "kind");
    assertBanditryError(() => LinearThompson.fromJSON({ ...j, version: 2 }), "BANDITRY_INVALID_PARAMETER", "version");
    assertBanditryError(() => LinearThompson.fromJSON({ ...j, hash: "murmur3" }), "BANDITRY_INVALID_PARAMETER", "hash");
    assertBanditryError(
      () => LinearThompson.fromJSON({ ...j, options: { ...j.options, dims: 3 } }),
      "BANDITRY_INVALID_PARAMETER",
      "dims",
    );
    assertBanditryError(
      () => LinearThompson.fromJSON({ ...j, options: { ...j.options, lambda: 3 } }),
      "BANDITRY_INVALID_PARAMETER",
      "model",
    );
    assertBanditryError(
      () => LinearThompson.fromJSON({ ...j, names: [[1, 2]] }),
      "BANDITRY_INVALID_PARAMETER",
      "names[0]",
    );
    assertBanditryError(
      () => LinearThompson.fromJSON({ ...j, model: { ...j.model, target: [] } }),
      "BANDITRY_INVALID_PARAMETER",
      "model.target",
    );
  });

  it("rejects bad options, naming the option", () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ dimension: 0 }, "dimension"],
      [{ dimension: 4096 }, "dimension"],
      [{ dimension: 10.5 }, "dimension"],
      [{ lambda: 0 }, "lambda"],
      [{ noiseVariance: Number.NaN }, "noiseVariance"],
      [{ exploration: -1 }, "exploration"],
      [{ interactions: "yes" }, "interactions"],
      [{ hashSeed: -1 }, "hashSeed"],
      [{ draws: 0 }, "draws"],
      [{ refactorBelow: 2 }, "refactorBelow"],
      [{ maxDepth: 0 }, "maxDepth"],
      [{ dim: 64 }, "dim"],
    ];
    for (const [options, field] of bad) {
      assertBanditryError(() => new LinearThompson(options as never), "BANDITRY_INVALID_PARAMETER", field);
    }
    assert.equal(new LinearThompson({ dimension: undefined }).options.dimension, 256);
  });

  it("learns per-type best actions: ≥ 90% of the optimal reward where context-free Beta TS cannot", () => {
    // 4 user types × 8 actions, a different best action per type (p = 0.5, others 0.05–0.3),
    // plus context features that do not matter; default options (d = 256). Seeded.
    const world = new ContextualWorld({ types: 4, actions: 8 }, createRng(1000));
    const model = new LinearThompson();
    const arms = world.actions.map(() => new BetaBernoulliPosterior());
    const policy = new ThompsonPolicy();
    const users = createRng(1);
    const rngLin = createRng(2);
    const rngBeta = createRng(3);
    const events = 4000;
    const tail = 1000;
    let lin = 0;
    let beta = 0;
    let optimal = 0;
    for (let n = 0; n < events; n++) {
      const user = world.context(users);
      const a = model.choose(user.features, world.actions, rngLin).chosen;
      model.update(user.features, world.actions[a]!, world.reward(user.type, a, rngLin));
      const b = chooseArm(policy, arms, rngBeta);
      arms[b]!.update(world.reward(user.type, b, rngBeta));
      if (n >= events - tail) {
        lin += world.p[user.type]![a]!;
        beta += world.p[user.type]![b]!;
        optimal += world.optimal(user.type);
      }
    }
    const shareLin = lin / optimal;
    const shareBeta = beta / optimal;
    assert.ok(shareLin >= 0.9, `linear TS earns ${shareLin.toFixed(3)} of optimal over events 3001–4000`);
    assert.ok(
      shareBeta <= world.contextFreeMean() / world.optimalMean() + 0.05,
      `Beta TS ${shareBeta.toFixed(3)} cannot beat the best single action`,
    );
    assert.ok(shareLin > shareBeta + 0.25, `linear ${shareLin.toFixed(3)} vs Beta ${shareBeta.toFixed(3)}`);
    // and it knows why: for each type, the type × best action interaction is its top reason
    for (let t = 0; t < world.types; t++) {
      const best = world.actions[world.bestAction(t)]!;
      const top = model.explain([{ user: { type: `t${t}` } }], best).contributions[0]!;
      assert.equal(top.name, `ctx.user.type=t${t}*act.id=${best.id}`);
    }
  });
});

function argmax(xs: Float64Array): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}

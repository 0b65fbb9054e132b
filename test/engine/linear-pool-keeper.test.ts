import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PoolKeeper } from "../../src/engine/linear/pool-keeper.js";
import { LinearThompson } from "../../src/stats/linear/linear-thompson.js";
import { createRng } from "../../src/stats/rng.js";

const actions = [{ id: "a0" }, { id: "a1" }, { id: "a2" }];

/** A keeper over a real model, with a test clock and a learned-rewards counter. */
function setup(options = { poolRefreshMs: 100, poolRefreshRewards: 5 }, now?: () => number) {
  const clock = { t: 1000 };
  const state = { model: new LinearThompson({ dimension: 32, poolSize: 16 }), learned: 0 };
  const keeper = new PoolKeeper(
    { model: () => state.model, learned: () => state.learned },
    options,
    now ?? (() => clock.t),
    createRng(3),
  );
  const learn = (n: number) => {
    for (let i = 0; i < n; i++) state.model.update({ u: "x" }, actions[i % 3]!, i % 3 === 0 ? 1 : 0);
    state.learned += n;
  };
  return { clock, state, keeper, learn };
}

describe("PoolKeeper: when the posterior draw pool is redrawn", () => {
  it("draws on first use, and not again while the posterior is unchanged, however much time passes", () => {
    const { clock, keeper } = setup();
    const pool = keeper.current();
    assert.equal(keeper.draws, 1);
    clock.t += 10_000;
    keeper.learned();
    assert.equal(keeper.current(), pool, "unchanged posterior: the same pool");
    assert.equal(keeper.draws, 1, "no redraw without learning");
    keeper.close();
  });

  it("after learning, redraws only once poolRefreshMs has passed or poolRefreshRewards were learned", () => {
    const { clock, keeper, learn, state } = setup();
    const first = keeper.current();
    learn(3);
    clock.t += 50;
    keeper.learned();
    assert.equal(keeper.draws, 1, "3 rewards < 5 and 50 ms < 100 ms: the pool stays (stale)");
    assert.equal(keeper.current(), first, "a rank within the limits uses the stale pool");
    clock.t += 50;
    keeper.learned();
    assert.equal(keeper.draws, 2, "100 ms since the draw: the learner redraws after its batch");
    const second = keeper.current();
    assert.notEqual(second, first);
    assert.equal(second.version, state.model.version, "drawn from the current posterior");
    learn(4);
    keeper.learned();
    assert.equal(keeper.draws, 2, "4 rewards < 5, no time passed");
    learn(1);
    keeper.learned();
    assert.equal(keeper.draws, 3, "5 rewards learned: redrawn without waiting for the time limit");
    learn(1);
    clock.t += 100;
    assert.equal(keeper.current().version, state.model.version, "a rank redraws lazily when a limit has passed");
    assert.equal(keeper.draws, 4);
    keeper.close();
  });

  it("caps count-triggered redraws by their cost: not before the pool is 10 draw durations old", () => {
    const clock = { t: 1000 };
    const state = { model: new LinearThompson({ dimension: 32, poolSize: 16 }), learned: 0 };
    let cpu = 0;
    const keeper = new PoolKeeper(
      { model: () => state.model, learned: () => state.learned },
      { poolRefreshMs: 100, poolRefreshRewards: 5 },
      () => clock.t,
      createRng(3),
      () => (cpu += 4), // each draw measures 4 ms
    );
    const learn = (n: number) => {
      for (let i = 0; i < n; i++) state.model.update({ u: "x" }, actions[i % 3]!, 1);
      state.learned += n;
    };
    keeper.current();
    learn(50);
    clock.t += 39;
    keeper.learned();
    assert.equal(keeper.draws, 1, "50 rewards ≥ 5, but the pool is 39 ms < 10 × 4 ms old");
    clock.t += 1;
    keeper.learned();
    assert.equal(keeper.draws, 2, "40 ms old: the count trigger fires");
    learn(1000);
    clock.t += 20;
    keeper.current();
    assert.equal(keeper.draws, 2, "a rank does not redraw before the cap either");
    clock.t += 80;
    keeper.current();
    assert.equal(keeper.draws, 3, "the time limit is not capped");
    keeper.close();
  });

  it("redraws at once when the model is replaced (reset, options change, adopted snapshot)", () => {
    const { keeper, state } = setup();
    keeper.current();
    state.model = new LinearThompson({ dimension: 32, poolSize: 8 });
    assert.equal(keeper.current().size, 8, "the new model's pool");
    assert.equal(keeper.draws, 2);
    keeper.close();
  });

  it("a stale pool is redrawn by a timer once the time limit passes, off the request path", async () => {
    // the clock is ours (a loaded machine must not turn "within the limit" into "past it");
    // the timer is real, so wait for it with a generous deadline
    let now = 1_000;
    const { keeper, learn, state } = setup({ poolRefreshMs: 30, poolRefreshRewards: 1000 }, () => now);
    keeper.current();
    learn(1);
    keeper.learned();
    assert.equal(keeper.draws, 1, "within the time limit");
    now += 100;
    for (let waited = 0; keeper.draws < 2 && waited < 5_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    assert.equal(keeper.draws, 2, "redrawn by the timer, with no rank asking");
    assert.equal(keeper.current().version, state.model.version);
    assert.equal(keeper.draws, 2, "the rank found it fresh");
    keeper.close();
  });

  it("pools are seeded: keepers with the same seed over the same model draw the same pools", () => {
    const a = setup();
    const b = setup();
    a.learn(7);
    b.learn(7);
    const pa = a.keeper.current();
    const pb = b.keeper.current();
    assert.equal(pa.seed, pb.seed);
    for (let m = 0; m < pa.size; m++) assert.deepEqual(pa.member(m), pb.member(m), `member ${m}`);
  });
});

import { benchExperiment } from "../../bench/helpers/bench-experiment.js";
import type { Decision } from "../../src/domain/decision.js";
import { createEngine } from "../../src/engine/engine.js";
import { createRng } from "../../src/stats/rng.js";
import type { Stores } from "../../src/stores/stores.js";

export const T0 = Date.parse("2024-03-01T00:00:00Z");
export const TRUE_MEANS: Record<string, number> = { a: 0.2, b: 0.5, c: 0.35 };

/**
 * Experiment `id`: a uniform-random policy over arms a, b, c (true click rates TRUE_MEANS),
 * `decisions` decisions through the real engine, in rounds of `round` concurrent decisions one
 * second apart; each round's rewards (Bernoulli draws, seed 11) arrive half a second later.
 * Returns the time just after the last decision.
 */
export async function uniformLog(stores: Stores, id: string, decisions: number, round = 50): Promise<number> {
  const clock = { t: T0 };
  const engine = createEngine({
    stores,
    now: () => clock.t,
    options: { seed: 5, refreshIntervalMs: 0, defaultRewardIntervalMs: 0, flushIntervalMs: 0 },
  });
  await engine.start();
  const rng = createRng(11);
  try {
    await engine.createExperiment({
      id,
      reward: "bernoulli",
      policy: "uniform",
      arms: [{ id: "a" }, { id: "b" }, { id: "c" }],
    });
    for (let start = 0; start < decisions; start += round) {
      clock.t = T0 + (start / round) * 1000;
      const made = await Promise.all(
        Array.from({ length: Math.min(round, decisions - start) }, () => engine.decide({ experimentId: id })),
      );
      clock.t += 500;
      await engine.rewardBatch(
        made.map((d) => ({ eventId: d.eventId, value: rng.next() < TRUE_MEANS[d.arm.id]! ? 1 : 0 })),
      );
    }
    return clock.t + 500;
  } finally {
    await engine.close();
  }
}

const TYPES = ["t0", "t1", "t2"];
const ACTIONS = ["x", "y", "z"];

/**
 * A linear experiment `id` with decisions written straight through the event store: user types
 * t0..t2, actions x, y, z offered every time (z excluded in every fifth decision), chosen
 * uniformly among the eligible ones (propensity logged); type tK's best action is ACTIONS[K]
 * (click rate 0.8, else 0.15). One decision a second, its reward a quarter second later.
 */
export async function linearLog(stores: Stores, id: string, decisions: number): Promise<void> {
  const now = T0;
  await stores.experimentStore.create(
    benchExperiment(id, 0, {
      arms: ACTIONS.map((a) => ({ id: a, label: null, value: null, state: "active" as const, createdAt: now })),
      createdAt: now,
      updatedAt: now,
      decayLandmark: now,
      context: "linear",
      linear: { dimension: 64, draws: 100 },
    }),
  );
  const rng = createRng(21);
  const batch: Decision[] = [];
  const rewards: { d: Decision; value: number }[] = [];
  for (let i = 0; i < decisions; i++) {
    const type = rng.nextInt(TYPES.length);
    const excluded = i % 5 === 0 ? ["z"] : [];
    const eligible = ACTIONS.filter((a) => !excluded.includes(a));
    const armId = eligible[rng.nextInt(eligible.length)]!;
    const d: Decision = {
      eventId: `${id}-${i}`,
      experimentId: id,
      segment: "*",
      context: null,
      unitId: null,
      armId,
      ranking: null,
      propensity: 1 / eligible.length,
      group: "bandit",
      seed: i,
      activated: true,
      createdAt: T0 + i * 1000,
      features: {
        context: { user: { type: TYPES[type] } },
        actions: ACTIONS.map((a) => ({ id: a, features: { kind: a === "x" ? "shoe" : "hat" } })),
        excluded,
      },
    };
    batch.push(d);
    rewards.push({ d, value: rng.next() < (armId === ACTIONS[type] ? 0.8 : 0.15) ? 1 : 0 });
  }
  await stores.eventStore.commit({ decisions: batch, rewards: [], activations: [], now: T0, rewardWaitMs: {} });
  await stores.eventStore.commit({
    decisions: [],
    rewards: rewards.map(({ d, value }) => ({
      eventId: d.eventId,
      experimentId: id,
      segment: d.segment,
      armId: d.armId,
      group: "bandit",
      value,
      isDefault: false,
      createdAt: d.createdAt + 250,
      aggregation: "earliest",
      evidence: { n: 1, s1: value, s2: 1 - value },
    })),
    activations: [],
    now: T0 + decisions * 1000,
    rewardWaitMs: {},
  });
}

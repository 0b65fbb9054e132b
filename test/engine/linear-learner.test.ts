import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { DecisionFeatures } from "../../src/domain/decision.js";
import { LinearLearner } from "../../src/engine/linear/linear-learner.js";
import { DEFAULT_LINEAR_LEARNING_OPTIONS } from "../../src/engine/linear/linear-learning.js";
import type { LinearStore, Stores } from "../../src/stores/stores.js";
import { sqliteStores } from "../helpers/sqlite.js";
import { batch, decision, experiment, rewardOp, uid } from "../stores/fixtures.js";

const sqlite = sqliteStores();
after(() => sqlite.cleanup());

/** The real store, counting the full rows (with features) each read returns. */
function counting(store: LinearStore) {
  const counts = { fullRows: 0, keys: 0 };
  const wrapped: LinearStore = {
    learningLog: async (...args) => {
      const rows = await store.learningLog(...args);
      counts.fullRows += rows.length;
      return rows;
    },
    learningLogKeys: async (...args) => {
      const keys = await store.learningLogKeys(...args);
      counts.keys += keys.length;
      return keys;
    },
    learningLogRows: async (...args) => {
      const rows = await store.learningLogRows(...args);
      counts.fullRows += rows.length;
      return rows;
    },
    loadSnapshot: (id) => store.loadSnapshot(id),
    snapshotCreatedAt: (id) => store.snapshotCreatedAt(id),
    saveSnapshot: (s) => store.saveSnapshot(s),
  };
  return { wrapped, counts };
}

const options = { ...DEFAULT_LINEAR_LEARNING_OPTIONS, overlapMs: 5000, pageSize: 4 };

async function setup() {
  const stores: Stores = await sqlite.create();
  const record = experiment(uid("lin"), { context: "linear", segmentKeys: [], arms: [] });
  await stores.experimentStore.create(record);
  /** One decision with features, rewarded with applied_at = t. */
  const rewardAt = async (t: number, value = 1) => {
    const features: DecisionFeatures = {
      context: [{ user: { n: t % 7 } }],
      actions: [{ id: "a", features: { x: 1 } }, { id: "b" }],
    };
    const d = decision(uid("ev"), record.id, { segment: "*", armId: t % 2 === 0 ? "a" : "b", features });
    await stores.eventStore.commit(batch({ decisions: [d], now: t }));
    await stores.eventStore.commit(batch({ rewards: [rewardOp(d, value, { createdAt: t })], now: t }));
  };
  return { stores, record, rewardAt };
}

describe("LinearLearner: tailing the learning log", () => {
  it("re-reads the overlap window as keys only and fetches in full only rows not learned yet", async () => {
    const { stores, record, rewardAt } = await setup();
    const { wrapped, counts } = counting(stores.linearStore);
    const learner = new LinearLearner(record, wrapped, options, () => 20_000);
    await learner.load();
    assert.equal(learner.learned, 0, "an empty log");

    for (let i = 0; i < 10; i++) await rewardAt(10_000 + i);
    await learner.tail();
    assert.equal(learner.learned, 10, "every row learned (pages of 4)");
    assert.equal(counts.fullRows, 10, "each row read in full once");

    counts.fullRows = 0;
    counts.keys = 0;
    await learner.tail();
    assert.equal(learner.learned, 10, "nothing learned twice");
    assert.equal(counts.fullRows, 0, "no full row read when nothing is new");
    assert.equal(counts.keys, 10, "the window's keys only");

    // committed late: below the position (another instance), at the position's ms, and above it
    counts.fullRows = 0;
    await rewardAt(7_000);
    await rewardAt(10_009);
    await rewardAt(12_000);
    await learner.tail();
    assert.equal(learner.learned, 13, "the late rows and the new one learned");
    assert.equal(counts.fullRows, 3, "only the three new rows read in full");

    // a row below the window (committed later than overlapMs allows) is never learned
    await rewardAt(6_000);
    await learner.tail();
    assert.equal(learner.learned, 13, "below the window: out of reach, as documented");

    // a fresh learner (no snapshot) reads the whole log once: the same evidence
    const fresh = new LinearLearner(record, stores.linearStore, options, () => 20_000);
    await fresh.load();
    assert.equal(fresh.learned, 14, "from the start, the row below the window too");
    learner.close();
    fresh.close();
  });

  it("a tail without the overlap (after a local commit) reads from the position, its own ms included; late rows wait for a full read", async () => {
    const { stores, record, rewardAt } = await setup();
    const { wrapped, counts } = counting(stores.linearStore);
    const learner = new LinearLearner(record, wrapped, options, () => 20_000);
    await learner.load();
    for (let i = 0; i < 5; i++) await rewardAt(10_000 + i);
    await learner.tail({ overlap: false });
    assert.equal(learner.learned, 5);

    counts.keys = 0;
    counts.fullRows = 0;
    await rewardAt(10_004); // the position's own millisecond, committed after it was read
    await rewardAt(10_010);
    await rewardAt(8_000); // below the position: another instance's late commit
    await learner.tail({ overlap: false });
    assert.equal(counts.keys, 0, "no overlap keys read");
    assert.equal(learner.learned, 7, "the same-ms row and the new one, each once");
    assert.equal(counts.fullRows, 3, "the position's ms re-read (one row learned before) and the new rows");

    await learner.tail(); // a full read (every refresh)
    assert.equal(learner.learned, 8, "the late row, within the overlap window");
    learner.close();
  });
});

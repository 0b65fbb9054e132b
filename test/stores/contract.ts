import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Decision } from "../../src/domain/decision.js";
import { isBanditryError } from "../../src/domain/errors.js";
import { FeatureTextDigests } from "../../src/domain/feature-text-digests.js";
import { Xoshiro128 } from "../../src/stats/rng.js";
import type { ApiKeyRecord, DecisionWithRewards, PosteriorRow, RewardOp, Stores } from "../../src/stores/stores.js";
import { batch, catalogFeatures, decision, experiment, ranked, rewardOp, sumEvidence, uid } from "./fixtures.js";
import { freshStoresEachTest } from "./fresh-stores.js";

/**
 * What every store implementation must pass. create() gives migrated Stores (a fresh database
 * for SQLite; on PostgreSQL the tests of one file share a cloned database, so every test uses
 * its own ids); createPeer(stores) opens a second Stores on the same database with its own
 * connections, for the tests of two processes racing; cleanup() removes what create opened.
 */
export interface StoreHarness {
  name: string;
  /** A named reason to skip the whole suite. */
  skip?: string;
  create(): Promise<Stores>;
  createPeer?: (stores: Stores) => Promise<Stores>;
  /** Why the racing-processes tests cannot run here, when createPeer is missing. */
  peerSkip?: string;
  cleanup(): Promise<void>;
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(isBanditryError(e), `expected a BanditryError ${code}, got ${String(e)}`);
    assert.equal(e.code, code);
    return true;
  });
}

function row(rows: PosteriorRow[], segment: string, armId: string): PosteriorRow | undefined {
  return rows.find((r) => r.segment === segment && r.armId === armId);
}

async function collect(iterable: AsyncIterable<DecisionWithRewards>): Promise<DecisionWithRewards[]> {
  const out: DecisionWithRewards[] = [];
  for await (const d of iterable) out.push(d);
  return out;
}

export function runStoreContract(harness: StoreHarness): void {
  describe(`store contract: ${harness.name}`, { skip: harness.skip ?? false }, () => {
    let stores: Stores;
    freshStoresEachTest(harness, (s) => {
      stores = s;
    });

    async function newExperiment(overrides: Parameters<typeof experiment>[1] = {}): Promise<string> {
      const id = uid("exp");
      await stores.experimentStore.create(experiment(id, overrides));
      return id;
    }

    describe("stores", () => {
      it("migrate is idempotent and close may be called twice", async () => {
        await stores.migrate();
        await stores.migrate();
        assert.ok(stores.dialect === "sqlite" || stores.dialect === "postgres");
        const other = await harness.create();
        await other.close();
        await other.close();
      });
    });

    describe("experimentStore", () => {
      it("creates and reads back an experiment with its configuration and arms in order", async () => {
        const id = uid("exp");
        const record = experiment(id, {
          reward: "gaussian",
          prior: { mu: 0.5, kappa: 1, alpha: 2, beta: 3 },
          policyOptions: { epsilon: 0.2 },
          decayHalfLife: 86_400,
          control: { share: 0.1, policy: "uniform" },
          rewardWaitSeconds: 60,
          defaultReward: 0,
          rewardAggregation: "sum",
          decayLandmark: 1234,
          arms: [
            { id: "z", label: "Zed", value: { deep: [1, "two", null] }, state: "active", createdAt: 10 },
            { id: "a", label: null, value: null, state: "paused", createdAt: 11 },
            { id: "m", label: "Em", value: 42, state: "retired", createdAt: 12 },
          ],
        });
        await stores.experimentStore.create(record);
        assert.deepEqual(await stores.experimentStore.get(id), record);
        assert.equal(await stores.experimentStore.get(uid("missing")), undefined);
      });

      it("refuses a taken id, an archived one too, with BANDITRY_EXPERIMENT_EXISTS", async () => {
        const id = await newExperiment();
        await rejectsWith(
          stores.experimentStore.create(experiment(id, { name: "again" })),
          "BANDITRY_EXPERIMENT_EXISTS",
        );
        await stores.experimentStore.update(id, { status: "archived" }, 2000);
        await rejectsWith(stores.experimentStore.create(experiment(id)), "BANDITRY_EXPERIMENT_EXISTS");
        assert.equal((await stores.experimentStore.get(id))?.name, `experiment ${id}`);
      });

      it("refuses duplicate arm ids at creation and writes nothing", async () => {
        const id = uid("exp");
        const arm = { id: "a", label: null, value: null, state: "active" as const, createdAt: 1 };
        await rejectsWith(stores.experimentStore.create(experiment(id, { arms: [arm, arm] })), "BANDITRY_ARM_EXISTS");
        assert.equal(await stores.experimentStore.get(id), undefined);
      });

      it("lists active experiments, archived ones on request, oldest first", async () => {
        const older = await newExperiment({ createdAt: 500 });
        const newer = await newExperiment({ createdAt: 600 });
        const archived = await newExperiment({ createdAt: 550, status: "archived" });
        const ids = (await stores.experimentStore.list()).map((e) => e.id);
        assert.ok(ids.includes(older) && ids.includes(newer));
        assert.ok(!ids.includes(archived));
        assert.ok(ids.indexOf(older) < ids.indexOf(newer));
        const all = (await stores.experimentStore.list({ includeArchived: true })).map((e) => e.id);
        assert.deepEqual(
          all.filter((x) => [older, newer, archived].includes(x)),
          [older, archived, newer],
        );
        const listed = (await stores.experimentStore.list()).find((e) => e.id === older);
        assert.equal(listed?.arms.length, 2);
      });

      it("updates name, status, part of the configuration and the landmark", async () => {
        const id = await newExperiment();
        const updated = await stores.experimentStore.update(
          id,
          { name: "renamed", config: { decayHalfLife: 3600, policyOptions: { topTwoBeta: 0.4 } }, decayLandmark: 7777 },
          9000,
        );
        const expected = {
          ...experiment(id),
          name: "renamed",
          decayHalfLife: 3600,
          policyOptions: { topTwoBeta: 0.4 },
          decayLandmark: 7777,
          updatedAt: 9000,
        };
        assert.deepEqual(updated, expected);
        assert.deepEqual(await stores.experimentStore.get(id), expected);
        const archived = await stores.experimentStore.update(id, { status: "archived" }, 9100);
        assert.equal(archived.status, "archived");
        assert.equal(archived.name, "renamed");
        await rejectsWith(
          stores.experimentStore.update(uid("missing"), { name: "x" }, 1),
          "BANDITRY_EXPERIMENT_NOT_FOUND",
        );
      });

      it("adds arms at the end and refuses a taken arm id or an unknown experiment", async () => {
        const id = await newExperiment();
        const arm = { id: "c", label: "C", value: { bid: 0.3 }, state: "active" as const, createdAt: 4000 };
        const record = await stores.experimentStore.addArm(id, arm, 4000);
        assert.deepEqual(
          record.arms.map((a) => a.id),
          ["a", "b", "c"],
        );
        assert.deepEqual(record.arms[2], arm);
        assert.equal(record.updatedAt, 4000);
        await rejectsWith(stores.experimentStore.addArm(id, { ...arm, label: "again" }, 4100), "BANDITRY_ARM_EXISTS");
        await rejectsWith(stores.experimentStore.addArm(uid("missing"), arm, 4100), "BANDITRY_EXPERIMENT_NOT_FOUND");
        assert.equal((await stores.experimentStore.get(id))?.arms[2]?.label, "C");
      });

      it("sets an arm's state and refuses an unknown arm or experiment", async () => {
        const id = await newExperiment();
        const record = await stores.experimentStore.setArmState(id, "b", "retired", 4500);
        assert.deepEqual(
          record.arms.map((a) => [a.id, a.state]),
          [
            ["a", "active"],
            ["b", "retired"],
          ],
        );
        assert.equal(record.updatedAt, 4500);
        await rejectsWith(stores.experimentStore.setArmState(id, "nope", "paused", 4600), "BANDITRY_ARM_NOT_FOUND");
        await rejectsWith(
          stores.experimentStore.setArmState(uid("missing"), "a", "paused", 4600),
          "BANDITRY_EXPERIMENT_NOT_FOUND",
        );
      });

      it("changedSince returns experiments whose row or arms changed at or after the time, archived too", async () => {
        const base = 10_000_000;
        const untouched = await newExperiment({ createdAt: base, updatedAt: base });
        const armChanged = await newExperiment({ createdAt: base, updatedAt: base });
        const armAdded = await newExperiment({ createdAt: base, updatedAt: base });
        const archived = await newExperiment({ createdAt: base, updatedAt: base });
        await stores.experimentStore.setArmState(armChanged, "a", "paused", base + 10);
        await stores.experimentStore.addArm(
          armAdded,
          { id: "x", label: null, value: null, state: "active", createdAt: base + 20 },
          base + 20,
        );
        await stores.experimentStore.update(archived, { status: "archived" }, base + 30);
        const ids = (await stores.experimentStore.changedSince(base + 10)).map((e) => e.id);
        assert.ok(!ids.includes(untouched));
        for (const id of [armChanged, armAdded, archived]) assert.ok(ids.includes(id), id);
        const later = (await stores.experimentStore.changedSince(base + 21)).map((e) => e.id);
        assert.ok(later.includes(archived) && !later.includes(armAdded));
      });
    });

    describe("eventStore.commit: decisions", () => {
      it("inserts new decisions, reports repeated ids as not inserted and reads them back", async () => {
        const exp = await newExperiment();
        const d1 = decision(uid("ev"), exp, {
          ranking: [
            { armId: "a", probability: 0.7 },
            { armId: "b", probability: 0.3 },
          ],
          propensity: 0.7,
          unitId: null,
        });
        const d2 = decision(uid("ev"), exp, { context: null, propensity: null, group: "control", seed: 4_294_967_295 });
        const first = await stores.eventStore.commit(batch({ decisions: [d1, d2, { ...d1, armId: "b" }] }));
        assert.deepEqual(first.decisionsInserted, [true, true, false]);
        const again = await stores.eventStore.commit(batch({ decisions: [{ ...d2, armId: "b" }] }));
        assert.deepEqual(again.decisionsInserted, [false]);

        const read = await stores.eventStore.getDecisions([d1.eventId, d2.eventId, uid("missing")]);
        assert.equal(read.size, 2);
        assert.deepEqual(read.get(d1.eventId), d1);
        assert.deepEqual(read.get(d2.eventId), d2);
        assert.equal((await stores.eventStore.getDecisions([])).size, 0);
      });

      it("counts a pull per new decision in its segment and experiment-wide, once for '*'", async () => {
        const exp = await newExperiment();
        await stores.eventStore.commit(
          batch({
            decisions: [
              decision(uid("ev"), exp, { segment: "country=de", armId: "a" }),
              decision(uid("ev"), exp, { segment: "country=de", armId: "a" }),
              decision(uid("ev"), exp, { segment: "country=fr", armId: "b", group: "control" }),
              decision(uid("ev"), exp, { segment: "*", armId: "a" }),
            ],
          }),
        );
        const rows = await stores.eventStore.loadPosteriors(exp);
        assert.deepEqual(
          rows.map((r) => [r.segment, r.armId, r.pulls, r.rewards, r.n]),
          [
            ["*", "a", 3, 0, 0],
            ["*", "b", 1, 0, 0],
            ["country=de", "a", 2, 0, 0],
            ["country=fr", "b", 1, 0, 0],
          ],
        );
        assert.ok(rows.every((r) => r.updatedAt === 5000 && r.experimentId === exp));
        const groups = await stores.eventStore.groupStats(exp);
        assert.deepEqual(
          groups.map((g) => [g.group, g.decisions, g.rewards]),
          [
            ["bandit", 3, 0],
            ["control", 1, 0],
          ],
        );
      });

      it("refuses a batch with a value its columns cannot hold, before writing anything", async () => {
        const exp = await newExperiment();
        const d = decision(uid("ev"), exp);
        await rejectsWith(
          stores.eventStore.commit(batch({ decisions: [d], rewards: [rewardOp(d, Number.NaN)] })),
          "BANDITRY_INVALID_PARAMETER",
        );
        await rejectsWith(
          stores.eventStore.commit(batch({ decisions: [{ ...d, createdAt: 1.5 }] })),
          "BANDITRY_INVALID_PARAMETER",
        );
        for (const eventId of [`${d.eventId}\u0000`, `${d.eventId}\ud800`]) {
          await rejectsWith(
            stores.eventStore.commit(batch({ decisions: [{ ...d, eventId }] })),
            "BANDITRY_INVALID_PARAMETER",
          );
        }
        // any other text is stored as it is
        const unicode = decision(`${uid("ev")}-é-😀-\u0001`, exp, {
          unitId: "ü'\"\\",
          segment: "país=ñ",
          // context is stored as JSON text: any string survives, NUL and lone surrogates too
          context: { note: "nul \u0000, lone \ud800, emoji 😀", nested: { list: [1.5, null, true] } },
        });
        assert.deepEqual((await stores.eventStore.commit(batch({ decisions: [unicode] }))).decisionsInserted, [true]);
        assert.deepEqual((await stores.eventStore.getDecisions([unicode.eventId])).get(unicode.eventId), unicode);
        assert.equal((await stores.eventStore.getDecisions([d.eventId])).size, 0);
      });

      it("an empty batch commits nothing and returns empty results", async () => {
        const result = await stores.eventStore.commit(batch({}));
        assert.deepEqual(result, {
          decisionsInserted: [],
          rewardOutcomes: [],
          activationOutcomes: [],
          activatedEvidence: [],
        });
      });
    });

    describe("eventStore.commit: rewards", () => {
      it("earliest: of two rewards for one event in one batch the first applies, the second is a duplicate", async () => {
        const exp = await newExperiment();
        const d = decision(uid("ev"), exp);
        await stores.eventStore.commit(batch({ decisions: [d] }));
        const result = await stores.eventStore.commit(
          batch({ rewards: [rewardOp(d, 1, { evidence: { n: 1, s1: 1, s2: 1 } }), rewardOp(d, 0)] }),
        );
        assert.deepEqual(result.rewardOutcomes, ["applied", "duplicate"]);
        const later = await stores.eventStore.commit(batch({ rewards: [rewardOp(d, 0)] }));
        assert.deepEqual(later.rewardOutcomes, ["duplicate"]);

        const rows = await stores.eventStore.loadPosteriors(exp);
        for (const segment of ["country=de", "*"]) {
          const r = row(rows, segment, "a");
          assert.deepEqual([r?.pulls, r?.rewards, r?.rewardSum, r?.n, r?.s1, r?.s2], [1, 1, 1, 1, 1, 1], segment);
        }
        const [exported] = await collect(stores.eventStore.exportDecisions(exp));
        assert.deepEqual(exported?.rewards, [{ eventId: d.eventId, value: 1, createdAt: 3000, isDefault: false }]);
      });

      it("a decision and its reward in one batch: the reward applies", async () => {
        const exp = await newExperiment();
        const d = decision(uid("ev"), exp);
        const result = await stores.eventStore.commit(batch({ decisions: [d], rewards: [rewardOp(d, 1)] }));
        assert.deepEqual(result.decisionsInserted, [true]);
        assert.deepEqual(result.rewardOutcomes, ["applied"]);
        assert.equal(row(await stores.eventStore.loadPosteriors(exp), "*", "a")?.rewards, 1);
      });

      it("sum: every reward counts, within a batch and across batches", async () => {
        const exp = await newExperiment({ rewardAggregation: "sum", reward: "gaussian" });
        const d = decision(uid("ev"), exp, { armId: "b" });
        await stores.eventStore.commit(batch({ decisions: [d] }));
        const sum = { aggregation: "sum" as const };
        const first = await stores.eventStore.commit(
          batch({ rewards: [rewardOp(d, 2.5, sum), rewardOp(d, -1, sum), rewardOp(d, 4, sum)] }),
        );
        assert.deepEqual(first.rewardOutcomes, ["applied", "applied", "applied"]);
        const second = await stores.eventStore.commit(batch({ rewards: [rewardOp(d, 0.5, sum)] }));
        assert.deepEqual(second.rewardOutcomes, ["applied"]);

        const r = row(await stores.eventStore.loadPosteriors(exp), "*", "b");
        assert.deepEqual(
          [r?.pulls, r?.rewards, r?.rewardSum, r?.n, r?.s1, r?.s2],
          [1, 4, 6, 4, 6, 6.25 + 1 + 16 + 0.25],
        );
        const [exported] = await collect(stores.eventStore.exportDecisions(exp));
        assert.deepEqual(
          exported?.rewards.map((x) => x.value),
          [2.5, -1, 4, 0.5],
        );
        const [g] = await stores.eventStore.groupStats(exp);
        assert.deepEqual([g?.rewards, g?.rewardSum, g?.rewardSumSq], [4, 6, 6.25 + 1 + 16 + 0.25]);
      });

      it("a default reward counts only when the event has no reward yet", async () => {
        for (const aggregation of ["earliest", "sum"] as const) {
          const exp = await newExperiment({ rewardAggregation: aggregation });
          const rewarded = decision(uid("ev"), exp);
          const silent = decision(uid("ev"), exp);
          await stores.eventStore.commit(batch({ decisions: [rewarded, silent] }));
          const op = { aggregation };
          const dflt = { aggregation, isDefault: true };
          const result = await stores.eventStore.commit(
            batch({
              rewards: [
                rewardOp(rewarded, 1, op),
                rewardOp(rewarded, 0, dflt),
                rewardOp(silent, 0, dflt),
                rewardOp(silent, 0, dflt),
              ],
            }),
          );
          assert.deepEqual(result.rewardOutcomes, ["applied", "duplicate", "applied", "duplicate"], aggregation);
          // after a default reward, a client reward counts only under sum
          const late = await stores.eventStore.commit(batch({ rewards: [rewardOp(silent, 1, op)] }));
          assert.deepEqual(late.rewardOutcomes, [aggregation === "sum" ? "applied" : "duplicate"], aggregation);
          const exported = await collect(stores.eventStore.exportDecisions(exp));
          const silentRewards = exported.find((x) => x.eventId === silent.eventId)?.rewards;
          assert.deepEqual(
            silentRewards?.map((x) => [x.value, x.isDefault]),
            aggregation === "sum"
              ? [
                  [0, true],
                  [1, false],
                ]
              : [[0, true]],
          );
        }
      });

      it("a reward for an unknown event is 'unknown' and leaves no trace", async () => {
        const exp = await newExperiment();
        const d = decision(uid("ev"), exp);
        const result = await stores.eventStore.commit(
          batch({ rewards: [rewardOp(d, 1), rewardOp(d, 1, { aggregation: "sum" })] }),
        );
        assert.deepEqual(result.rewardOutcomes, ["unknown", "unknown"]);
        assert.deepEqual(await stores.eventStore.loadPosteriors(exp), []);
        // the event id is still free for a decision, and that decision has no reward
        await stores.eventStore.commit(batch({ decisions: [d] }));
        const [exported] = await collect(stores.eventStore.exportDecisions(exp));
        assert.deepEqual(exported?.rewards, []);
      });

      it("posteriors and group stats equal the sum of the applied evidence (random batches)", async () => {
        const exp = await newExperiment({ rewardAggregation: "sum" });
        const rng = new Xoshiro128(7);
        const segments = ["*", "country=de", "country=fr"];
        const arms = ["a", "b"];
        const decisions: Decision[] = [];
        for (let i = 0; i < 60; i++) {
          decisions.push(
            decision(uid("ev"), exp, {
              segment: segments[rng.nextInt(3)]!,
              armId: arms[rng.nextInt(2)]!,
              group: rng.next() < 0.3 ? "control" : "bandit",
            }),
          );
        }
        await stores.eventStore.commit(batch({ decisions }));
        const expected = new Map<string, { rewards: number; sum: number; n: number; s1: number; s2: number }>();
        const add = (key: string, value: number, e: { n: number; s1: number; s2: number }) => {
          const x = expected.get(key) ?? { rewards: 0, sum: 0, n: 0, s1: 0, s2: 0 };
          expected.set(key, {
            rewards: x.rewards + 1,
            sum: x.sum + value,
            n: x.n + e.n,
            s1: x.s1 + e.s1,
            s2: x.s2 + e.s2,
          });
        };
        const groups = new Map<string, { rewards: number; sum: number; sq: number }>();
        for (let b = 0; b < 4; b++) {
          const ops: RewardOp[] = [];
          for (let i = 0; i < 50; i++) {
            const d = decisions[rng.nextInt(decisions.length)]!;
            // multiples of 1/8: every sum is exact, whatever the order of addition
            const value = rng.nextInt(9) / 8;
            ops.push(
              rewardOp(d, value, {
                aggregation: rng.next() < 0.5 ? "earliest" : "sum",
                isDefault: rng.next() < 0.1,
                evidence: { n: rng.nextInt(4) / 4, s1: value, s2: rng.nextInt(16) / 8 },
              }),
            );
          }
          const { rewardOutcomes } = await stores.eventStore.commit(batch({ rewards: ops }));
          rewardOutcomes.forEach((outcome, i) => {
            if (outcome !== "applied") return;
            const op = ops[i]!;
            const d = decisions.find((x) => x.eventId === op.eventId)!;
            add(`${d.segment}|${d.armId}`, op.value, op.evidence);
            if (d.segment !== "*") add(`*|${d.armId}`, op.value, op.evidence);
            const g = groups.get(d.group) ?? { rewards: 0, sum: 0, sq: 0 };
            groups.set(d.group, { rewards: g.rewards + 1, sum: g.sum + op.value, sq: g.sq + op.value * op.value });
          });
          assert.ok(rewardOutcomes.every((o) => o === "applied" || o === "duplicate"));
        }
        const rows = await stores.eventStore.loadPosteriors(exp);
        for (const r of rows) {
          const x = expected.get(`${r.segment}|${r.armId}`) ?? { rewards: 0, sum: 0, n: 0, s1: 0, s2: 0 };
          assert.deepEqual([r.rewards, r.rewardSum, r.n, r.s1, r.s2], [x.rewards, x.sum, x.n, x.s1, x.s2]);
        }
        for (const key of expected.keys()) assert.ok(row(rows, key.split("|")[0]!, key.split("|")[1]!), key);
        for (const g of await stores.eventStore.groupStats(exp)) {
          const x = groups.get(g.group) ?? { rewards: 0, sum: 0, sq: 0 };
          assert.deepEqual([g.rewards, g.rewardSum, g.rewardSumSq], [x.rewards, x.sum, x.sq]);
        }
        const pulls = rows.filter((r) => r.segment === "*").reduce((s, r) => s + r.pulls, 0);
        assert.equal(pulls, decisions.length);
      });
    });

    describe("eventStore.commit: activations", () => {
      it("a reward before activation is stored, then applied exactly once by the activation", async () => {
        const exp = await newExperiment();
        const d = decision(uid("ev"), exp, { activated: false, segment: "country=fr", armId: "b" });
        await stores.eventStore.commit(batch({ decisions: [d] }));
        const stored = await stores.eventStore.commit(
          batch({ rewards: [rewardOp(d, 1, { evidence: { n: 0.5, s1: 0.5, s2: 0.25 } }), rewardOp(d, 1)] }),
        );
        assert.deepEqual(stored.rewardOutcomes, ["stored", "duplicate"]);
        assert.equal(row(await stores.eventStore.loadPosteriors(exp), "*", "b")?.rewards, 0);

        const activated = await stores.eventStore.commit(batch({ activations: [d.eventId, d.eventId] }));
        assert.deepEqual(activated.activationOutcomes, ["activated", "already"]);
        assert.deepEqual(activated.activatedEvidence, [
          { experimentId: exp, segment: "country=fr", armId: "b", evidence: { n: 0.5, s1: 0.5, s2: 0.25 }, value: 1 },
        ]);
        const again = await stores.eventStore.commit(batch({ activations: [d.eventId, uid("missing")] }));
        assert.deepEqual(again.activationOutcomes, ["already", "unknown"]);
        assert.deepEqual(again.activatedEvidence, []);

        const rows = await stores.eventStore.loadPosteriors(exp);
        for (const segment of ["country=fr", "*"]) {
          const r = row(rows, segment, "b");
          assert.deepEqual([r?.pulls, r?.rewards, r?.rewardSum, r?.n, r?.s1, r?.s2], [1, 1, 1, 0.5, 0.5, 0.25]);
        }
        const [g] = await stores.eventStore.groupStats(exp);
        assert.deepEqual([g?.decisions, g?.rewards, g?.rewardSum], [1, 1, 1]);
        assert.equal((await stores.eventStore.getDecisions([d.eventId])).get(d.eventId)?.activated, true);
        const [exported] = await collect(stores.eventStore.exportDecisions(exp));
        assert.equal(exported?.rewards.length, 1);
      });

      it("sum rewards stored before activation are all applied; later ones apply directly", async () => {
        const exp = await newExperiment({ rewardAggregation: "sum" });
        const d = decision(uid("ev"), exp, { activated: false });
        const sum = { aggregation: "sum" as const };
        const first = await stores.eventStore.commit(
          batch({ decisions: [d], rewards: [rewardOp(d, 1, sum), rewardOp(d, 0.5, sum)] }),
        );
        assert.deepEqual(first.rewardOutcomes, ["stored", "stored"]);
        const both = await stores.eventStore.commit(
          batch({ activations: [d.eventId], rewards: [rewardOp(d, 0.25, sum)] }),
        );
        assert.deepEqual(both.activationOutcomes, ["activated"]);
        // activations run before the batch's rewards
        assert.deepEqual(both.rewardOutcomes, ["applied"]);
        assert.deepEqual(
          both.activatedEvidence.map((e) => e.value),
          [1, 0.5],
        );
        const r = row(await stores.eventStore.loadPosteriors(exp), "*", "a");
        assert.deepEqual([r?.rewards, r?.rewardSum, r?.n], [3, 1.75, 3]);
      });

      it("a decision, its activation and its reward may share one batch", async () => {
        const exp = await newExperiment();
        const d = decision(uid("ev"), exp, { activated: false });
        const result = await stores.eventStore.commit(
          batch({ decisions: [d], activations: [d.eventId], rewards: [rewardOp(d, 1)] }),
        );
        assert.deepEqual(
          [result.decisionsInserted, result.activationOutcomes, result.rewardOutcomes],
          [[true], ["activated"], ["applied"]],
        );
        assert.equal(row(await stores.eventStore.loadPosteriors(exp), "*", "a")?.rewards, 1);
      });
    });

    describe("eventStore: default rewards, reads and maintenance", () => {
      it("dueForDefaultReward lists decisions past their wait without a reward, oldest first", async () => {
        const exp = await newExperiment();
        const noWait = await newExperiment();
        // times far below every other test's, which share the database on PostgreSQL
        const early = decision(uid("ev"), exp, { createdAt: 100 });
        const later = decision(uid("ev"), exp, { createdAt: 150 });
        const rewarded = decision(uid("ev"), exp, { createdAt: 90, activated: false });
        const notDue = decision(uid("ev"), exp, { createdAt: 400 });
        const never = decision(uid("ev"), noWait, { createdAt: 10 });
        await stores.eventStore.commit(
          batch({ decisions: [later, early, rewarded, notDue, never], rewardWaitMs: { [exp]: 100 } }),
        );
        await stores.eventStore.commit(batch({ rewards: [rewardOp(rewarded, 0)] }));

        const due = (await stores.eventStore.dueForDefaultReward(260, 100)).filter(
          (x) => x.experimentId === exp || x.experimentId === noWait,
        );
        assert.deepEqual(
          due.map((x) => x.eventId),
          [early.eventId, later.eventId],
        );
        assert.deepEqual(due[0], early);
        const limited = await stores.eventStore.dueForDefaultReward(260, 1);
        assert.equal(limited.length, 1);
        // the engine applies the default reward; the decision is no longer due
        const applied = await stores.eventStore.commit(batch({ rewards: [rewardOp(early, 0, { isDefault: true })] }));
        assert.deepEqual(applied.rewardOutcomes, ["applied"]);
        const rest = (await stores.eventStore.dueForDefaultReward(1000, 100)).filter((x) => x.experimentId === exp);
        assert.deepEqual(
          rest.map((x) => x.eventId),
          [later.eventId, notDue.eventId],
        );
      });

      it("posteriorsChangedSince returns the rows touched by commits at or after the time", async () => {
        const exp = await newExperiment();
        const d1 = decision(uid("ev"), exp, { segment: "s1" });
        const d2 = decision(uid("ev"), exp, { segment: "s2" });
        await stores.eventStore.commit(batch({ decisions: [d1], now: 2_000_000_000_000 }));
        await stores.eventStore.commit(batch({ decisions: [d2], now: 2_000_000_000_500 }));
        const changed = (await stores.eventStore.posteriorsChangedSince(2_000_000_000_100)).filter(
          (r) => r.experimentId === exp,
        );
        assert.deepEqual(
          changed.map((r) => [r.segment, r.pulls, r.updatedAt]),
          [
            ["*", 2, 2_000_000_000_500],
            ["s2", 1, 2_000_000_000_500],
          ],
        );
      });

      it("rescaleEvidence scales n, s1, s2 of posteriors and of stored rewards, and re-bases the landmark", async () => {
        const exp = await newExperiment({ decayHalfLife: 3600 });
        const active = decision(uid("ev"), exp);
        const pending = decision(uid("ev"), exp, { activated: false });
        await stores.eventStore.commit(
          batch({
            decisions: [active, pending],
            rewards: [
              rewardOp(active, 1, { evidence: { n: 4, s1: 2, s2: 1 } }),
              rewardOp(pending, 1, { evidence: { n: 8, s1: 8, s2: 8 } }),
            ],
          }),
        );
        await stores.eventStore.rescaleEvidence(exp, 0.25, { decayLandmark: 99_000, now: 99_500 });
        let r = row(await stores.eventStore.loadPosteriors(exp), "*", "a");
        assert.deepEqual(
          [r?.pulls, r?.rewards, r?.rewardSum, r?.n, r?.s1, r?.s2, r?.updatedAt],
          [2, 1, 1, 1, 0.5, 0.25, 99_500],
        );
        const record = await stores.experimentStore.get(exp);
        assert.deepEqual([record?.decayLandmark, record?.updatedAt], [99_000, 99_500]);

        const activation = await stores.eventStore.commit(batch({ activations: [pending.eventId] }));
        assert.deepEqual(activation.activatedEvidence[0]?.evidence, { n: 2, s1: 2, s2: 2 });
        r = row(await stores.eventStore.loadPosteriors(exp), "*", "a");
        assert.deepEqual([r?.rewards, r?.n, r?.s1, r?.s2], [2, 3, 2.5, 2.25]);

        await stores.eventStore.rescaleEvidence(exp, 0.5);
        r = row(await stores.eventStore.loadPosteriors(exp), "*", "a");
        assert.deepEqual([r?.n, r?.s1, r?.s2], [1.5, 1.25, 1.125]);
        await rejectsWith(
          stores.eventStore.rescaleEvidence(uid("missing"), 0.5, { decayLandmark: 1, now: 1 }),
          "BANDITRY_EXPERIMENT_NOT_FOUND",
        );
        await rejectsWith(stores.eventStore.rescaleEvidence(exp, Number.NaN), "BANDITRY_INVALID_PARAMETER");
      });

      it("exportDecisions pages through decisions in creation order with their rewards and a time range", async () => {
        const exp = await newExperiment({ rewardAggregation: "sum" });
        const other = await newExperiment();
        const decisions: Decision[] = [];
        // more than one page (1000), several decisions per millisecond
        for (let i = 0; i < 2300; i++) {
          decisions.push(decision(`${uid("ev")}-${String(i % 7)}`, exp, { createdAt: 100_000 + Math.floor(i / 3) }));
        }
        const shuffled = [...decisions].reverse();
        await stores.eventStore.commit(batch({ decisions: shuffled.slice(0, 1200) }));
        await stores.eventStore.commit(batch({ decisions: [...shuffled.slice(1200), decision(uid("ev"), other)] }));
        const rewarded = decisions[1500]!;
        const sum = { aggregation: "sum" as const };
        await stores.eventStore.commit(
          batch({
            rewards: [
              rewardOp(rewarded, 0.5, { ...sum, createdAt: 7 }),
              rewardOp(rewarded, 1, { ...sum, createdAt: 8, isDefault: false }),
            ],
          }),
        );

        const all = await collect(stores.eventStore.exportDecisions(exp));
        const expectedOrder = [...decisions].sort((a, b) =>
          a.createdAt !== b.createdAt ? a.createdAt - b.createdAt : a.eventId < b.eventId ? -1 : 1,
        );
        assert.deepEqual(
          all.map((d) => d.eventId),
          expectedOrder.map((d) => d.eventId),
        );
        const withRewards = all.find((d) => d.eventId === rewarded.eventId);
        assert.deepEqual(withRewards, {
          ...rewarded,
          rewards: [
            { eventId: rewarded.eventId, value: 0.5, createdAt: 7, isDefault: false },
            { eventId: rewarded.eventId, value: 1, createdAt: 8, isDefault: false },
          ],
        });
        assert.equal(all.filter((d) => d.rewards.length > 0).length, 1);

        const ranged = await collect(stores.eventStore.exportDecisions(exp, { from: 100_010, to: 100_020 }));
        assert.equal(ranged.length, 30);
        assert.ok(ranged.every((d) => d.createdAt >= 100_010 && d.createdAt < 100_020));
        assert.deepEqual(await collect(stores.eventStore.exportDecisions(uid("missing"))), []);
      });
    });

    describe("keyStore", () => {
      it("creates, finds by hash, lists, counts and revokes keys", async () => {
        const before = await stores.keyStore.count();
        const admin: ApiKeyRecord = {
          id: uid("key"),
          name: "admin",
          hash: uid("hash").padEnd(64, "0"),
          scopes: ["admin", "read"],
          experimentId: null,
          createdAt: 1000,
          revokedAt: null,
        };
        const bound: ApiKeyRecord = {
          ...admin,
          id: uid("key"),
          name: "loop",
          hash: uid("hash").padEnd(64, "1"),
          scopes: ["decide"],
          experimentId: "exp-1",
          createdAt: 2000,
        };
        await stores.keyStore.create(admin);
        await stores.keyStore.create(bound);
        assert.deepEqual(await stores.keyStore.findByHash(bound.hash), bound);
        assert.equal(await stores.keyStore.findByHash(uid("nope")), undefined);
        assert.equal(await stores.keyStore.count(), before + 2);
        const listed = (await stores.keyStore.list()).filter((k) => k.id === admin.id || k.id === bound.id);
        assert.deepEqual(listed, [admin, bound]);

        assert.equal(await stores.keyStore.revoke(admin.id, 5000), true);
        assert.equal(await stores.keyStore.revoke(admin.id, 6000), true);
        assert.equal(await stores.keyStore.revoke(uid("nope"), 6000), false);
        assert.deepEqual(await stores.keyStore.findByHash(admin.hash), { ...admin, revokedAt: 5000 });
        assert.equal(await stores.keyStore.count(), before + 2);
      });
    });

    describe("linearStore and the learning log", () => {
      const features = {
        context: [{ user: { type: "new" } }],
        actions: [{ id: "a", features: { price: 2 } }, { id: "b" }],
        excluded: ["b"],
        modelArmId: "a",
      };

      it("round-trips a decision's features, and null for a decision without them", async () => {
        const exp = await newExperiment({ segmentKeys: [] });
        const withFeatures = decision(uid("ev"), exp, { features });
        const without = decision(uid("ev"), exp);
        await stores.eventStore.commit(batch({ decisions: [withFeatures, without] }));
        const found = await stores.eventStore.getDecisions([withFeatures.eventId, without.eventId]);
        assert.deepEqual(found.get(withFeatures.eventId)?.features, features, "features read back as written");
        assert.equal(found.get(without.eventId)?.features ?? null, null, "no features: null");
      });

      it("writes a decision's featuresText as its features (the text a rank made of them)", async () => {
        const exp = await newExperiment({ segmentKeys: [] });
        const d = decision(uid("ev"), exp, { features, featuresText: JSON.stringify(features) });
        await stores.eventStore.commit(batch({ decisions: [d] }));
        const found = await stores.eventStore.getDecisions([d.eventId]);
        assert.deepEqual(found.get(d.eventId)?.features, features);
      });

      it("stores an action's features once met again, and every reader reads them whole", async () => {
        const exp = await newExperiment({ segmentKeys: [], rewardAggregation: "sum" });
        const f = catalogFeatures();
        const ds = [ranked(exp, f), ranked(exp, f), ranked(exp, f), ranked(exp, { ...f, context: { other: 1 } })];
        // the first meets the texts (inline), the others refer to them
        await stores.eventStore.commit(batch({ decisions: ds.slice(0, 1), rewardWaitMs: { [exp]: 1000 } }));
        await stores.eventStore.commit(batch({ decisions: ds.slice(1, 3), rewardWaitMs: { [exp]: 1000 } }));
        await stores.eventStore.commit(batch({ decisions: ds.slice(3), rewardWaitMs: { [exp]: 1000 } }));
        const found = await stores.eventStore.getDecisions(ds.map((d) => d.eventId));
        for (const d of ds) assert.deepEqual(found.get(d.eventId)?.features, d.features, "getDecisions");
        const exported = await collect(stores.eventStore.exportDecisions(exp));
        assert.deepEqual(
          exported.map((d) => d.features),
          ds.map((d) => d.features),
          "exportDecisions",
        );
        const due = await stores.eventStore.dueForDefaultReward(1e15, 10);
        assert.deepEqual(
          due.filter((d) => d.experimentId === exp).map((d) => d.features),
          ds.map((d) => d.features),
          "dueForDefaultReward",
        );
        await stores.eventStore.commit(
          batch({ rewards: ds.map((d) => rewardOp(d, 1, { createdAt: 3000, aggregation: "sum" })) }),
        );
        const log = await stores.linearStore.learningLog(exp, { appliedAt: -1, eventId: "", seq: -1 }, 100);
        assert.deepEqual(
          log.map((r) => [r.eventId, r.features]),
          ds.map((d) => [d.eventId, d.features]).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
          "learningLog",
        );
        const keyed = await stores.linearStore.learningLogRows(
          exp,
          log.map((r) => ({ appliedAt: r.appliedAt, eventId: r.eventId, seq: r.seq })),
        );
        assert.deepEqual(
          keyed.map((r) => r.features),
          log.map((r) => r.features),
          "learningLogRows",
        );
      });

      it("stores action texts under the digests a decision brings (the engine's, the rank thread's), before and after DELETE logs", async () => {
        const exp = await newExperiment({ segmentKeys: [], rewardAggregation: "sum" });
        const f = catalogFeatures();
        const digests = new FeatureTextDigests();
        ranked(exp, f, {}, digests); // the maker met the texts before: every decision below refers to them
        const ds = [ranked(exp, f, {}, digests), ranked(exp, f, {}, digests)];
        assert.ok(ds[0]!.featureDigests!.some((d) => d !== null));
        await stores.eventStore.commit(batch({ decisions: ds.slice(0, 1) }));
        await stores.eventStore.commit(batch({ decisions: ds.slice(1) }));
        const found = await stores.eventStore.getDecisions(ds.map((d) => d.eventId));
        for (const d of ds) assert.deepEqual(found.get(d.eventId)?.features, f, "getDecisions");
        const exported = await collect(stores.eventStore.exportDecisions(exp));
        assert.deepEqual(
          exported.map((d) => d.features),
          [f, f],
          "exportDecisions",
        );
        await stores.eventStore.commit(
          batch({ rewards: ds.map((d) => rewardOp(d, 1, { createdAt: 3000, aggregation: "sum" })) }),
        );
        const log = await stores.linearStore.learningLog(exp, { appliedAt: -1, eventId: "", seq: -1 }, 100);
        assert.deepEqual(
          log.map((r) => r.features),
          [f, f],
          "learningLog",
        );
        // the maker's memory outlives DELETE logs: its next decision still refers, and stores the texts again
        await stores.loopStore.deleteLogs(exp);
        const again = ranked(exp, f, {}, digests);
        await stores.eventStore.commit(batch({ decisions: [again] }));
        assert.deepEqual((await stores.eventStore.getDecisions([again.eventId])).get(again.eventId)?.features, f);
      });

      it("DELETE logs deletes the stored action texts; a decision that meets them again stores them again", async () => {
        const exp = await newExperiment({ segmentKeys: [] });
        const f = catalogFeatures();
        await stores.eventStore.commit(batch({ decisions: [ranked(exp, f)] }));
        await stores.eventStore.commit(batch({ decisions: [ranked(exp, f)] }));
        assert.equal((await stores.loopStore.deleteLogs(exp)).decisions, 2);
        const again = ranked(exp, f);
        await stores.eventStore.commit(batch({ decisions: [again] }));
        const found = await stores.eventStore.getDecisions([again.eventId]);
        assert.deepEqual(found.get(again.eventId)?.features, f);
        // the same texts in another experiment are that experiment's own
        const other = await newExperiment({ segmentKeys: [] });
        const there = ranked(other, f);
        await stores.eventStore.commit(batch({ decisions: [there] }));
        await stores.loopStore.deleteLogs(exp);
        assert.deepEqual((await stores.eventStore.getDecisions([there.eventId])).get(there.eventId)?.features, f);
      });

      it("lists rewards that count, with applied_at and the decision's features, in (appliedAt, eventId, seq) order", async () => {
        const exp = await newExperiment({ segmentKeys: [], rewardAggregation: "sum" });
        const active = decision(uid("ev-b"), exp, { features, createdAt: 2000 });
        const early = decision(uid("ev-a"), exp, { features, createdAt: 2000 });
        const deferred = decision(uid("ev-c"), exp, { features, activated: false, armId: "b" });
        await stores.eventStore.commit(batch({ decisions: [active, early, deferred] }));
        await stores.eventStore.commit(
          batch({
            rewards: [
              rewardOp(active, 1, { createdAt: 3000, aggregation: "sum" }),
              rewardOp(active, 0, { createdAt: 3000, aggregation: "sum" }),
              rewardOp(early, 0.5, { createdAt: 3000, aggregation: "sum" }),
              rewardOp(deferred, 1, { createdAt: 3000, aggregation: "sum" }),
            ],
          }),
        );
        const start = { appliedAt: -1, eventId: "", seq: -1 };
        const log = await stores.linearStore.learningLog(exp, start, 100);
        assert.deepEqual(
          log.map((r) => [r.appliedAt, r.eventId, r.seq, r.value, r.armId]),
          [
            [3000, early.eventId, 1, 0.5, "a"],
            [3000, active.eventId, 1, 1, "a"],
            [3000, active.eventId, 2, 0, "a"],
          ],
          "the stored (not activated) reward is not in the log yet",
        );
        assert.deepEqual(log[0]!.features, features, "each row carries its decision's features");

        await stores.eventStore.commit(batch({ activations: [deferred.eventId], now: 7000 }));
        const after = await stores.linearStore.learningLog(
          exp,
          { appliedAt: 3000, eventId: active.eventId, seq: 1 },
          100,
        );
        assert.deepEqual(
          after.map((r) => [r.appliedAt, r.eventId, r.seq]),
          [
            [3000, active.eventId, 2],
            [7000, deferred.eventId, 1],
          ],
          "strictly after the key; activation sets applied_at to the activation time",
        );
        const page = await stores.linearStore.learningLog(exp, start, 2);
        assert.equal(page.length, 2, "limit bounds the page");
        assert.deepEqual(await stores.linearStore.learningLog(uid("none"), start, 10), [], "another experiment: empty");
      });

      it("reads the log's keys up to a time without features, and full rows by key", async () => {
        const exp = await newExperiment({ segmentKeys: [], rewardAggregation: "sum" });
        const a = decision(uid("ev-a"), exp, { features, createdAt: 2000 });
        const b = decision(uid("ev-b"), exp, { features, createdAt: 2000 });
        const c = decision(uid("ev-c"), exp, { features, activated: false, armId: "b" });
        await stores.eventStore.commit(batch({ decisions: [a, b, c] }));
        await stores.eventStore.commit(
          batch({
            rewards: [
              rewardOp(b, 1, { createdAt: 3000, aggregation: "sum" }),
              rewardOp(b, 0, { createdAt: 3000, aggregation: "sum" }),
              rewardOp(a, 0.5, { createdAt: 3000, aggregation: "sum" }),
              rewardOp(c, 1, { createdAt: 3000, aggregation: "sum" }),
            ],
          }),
        );
        await stores.eventStore.commit(batch({ activations: [c.eventId], now: 7000 }));
        const start = { appliedAt: -1, eventId: "", seq: -1 };
        const all = await stores.linearStore.learningLogKeys(exp, start, 7000, 100);
        assert.deepEqual(
          all,
          [
            { appliedAt: 3000, eventId: a.eventId, seq: 1 },
            { appliedAt: 3000, eventId: b.eventId, seq: 1 },
            { appliedAt: 3000, eventId: b.eventId, seq: 2 },
            { appliedAt: 7000, eventId: c.eventId, seq: 1 },
          ],
          "keys only, in log order, the same rows as learningLog",
        );
        const log = await stores.linearStore.learningLog(exp, start, 100);
        assert.deepEqual(
          log.map((r) => ({ appliedAt: r.appliedAt, eventId: r.eventId, seq: r.seq })),
          all,
          "learningLog lists the same keys",
        );
        assert.deepEqual(
          await stores.linearStore.learningLogKeys(exp, start, 6999, 100),
          all.slice(0, 3),
          "appliedAt ≤ through",
        );
        assert.deepEqual(
          await stores.linearStore.learningLogKeys(exp, { appliedAt: 3000, eventId: b.eventId, seq: 1 }, 7000, 1),
          [all[2]],
          "strictly after the key, limit bounds the page",
        );

        const rows = await stores.linearStore.learningLogRows(exp, [
          { eventId: c.eventId, seq: 1 },
          { eventId: b.eventId, seq: 2 },
          { eventId: a.eventId, seq: 9 },
          { eventId: uid("none"), seq: 1 },
        ]);
        assert.deepEqual(
          rows,
          [log[2], log[3]],
          "the keyed rows with their features, in log order; unknown keys skipped",
        );
        assert.deepEqual(await stores.linearStore.learningLogRows(exp, []), [], "no keys: no rows");
        assert.deepEqual(
          await stores.linearStore.learningLogRows(uid("none"), [{ eventId: a.eventId, seq: 1 }]),
          [],
          "another experiment's rows are not its log",
        );
      });

      it("saves and loads snapshots; a snapshot never replaces one with a later createdAt", async () => {
        const exp = await newExperiment({ segmentKeys: [] });
        assert.equal(await stores.linearStore.loadSnapshot(exp), undefined, "none yet");
        assert.equal(await stores.linearStore.snapshotCreatedAt(exp), undefined, "no marker yet");
        const first = { experimentId: exp, model: '{"m":1}', position: { createdAt: 0, appliedAt: 5 }, updatedAt: 10 };
        assert.equal(await stores.linearStore.saveSnapshot(first), true, "first save written");
        assert.deepEqual(await stores.linearStore.loadSnapshot(exp), first, "read back as written");
        const reset = { ...first, model: '{"m":2}', position: { createdAt: 500, appliedAt: 5 }, updatedAt: 20 };
        assert.equal(await stores.linearStore.saveSnapshot(reset), true, "a later createdAt is written");
        assert.equal(await stores.linearStore.snapshotCreatedAt(exp), 500, "the marker is the position's createdAt");
        const stale = { ...first, model: '{"m":3}', position: { createdAt: 0, appliedAt: 9 }, updatedAt: 30 };
        assert.equal(
          await stores.linearStore.saveSnapshot(stale),
          false,
          "a snapshot from before the reset is refused",
        );
        assert.deepEqual(await stores.linearStore.loadSnapshot(exp), reset, "the reset stays");
        const next = { ...reset, model: '{"m":4}', updatedAt: 40 };
        assert.equal(await stores.linearStore.saveSnapshot(next), true, "same createdAt: written");
        assert.deepEqual(await stores.linearStore.loadSnapshot(exp), next, "replaced");
      });
    });

    describe("two processes on one database", { skip: harness.createPeer ? false : (harness.peerSkip ?? true) }, () => {
      let peer: Stores;
      beforeEach(async () => {
        peer = await harness.createPeer!(stores);
      });
      afterEach(async () => {
        await peer.close();
      });

      it("decisions that refer to action texts racing DELETE logs: every decision left reads whole", async () => {
        const exp = await newExperiment({ segmentKeys: [] });
        const f = catalogFeatures();
        await stores.eventStore.commit(batch({ decisions: [ranked(exp, f)] })); // met: the rest refer
        const commits = (async () => {
          for (let i = 0; i < 40; i++) {
            await stores.eventStore.commit(batch({ decisions: [ranked(exp, f), ranked(exp, f)] }));
          }
        })();
        const deletes = (async () => {
          for (let i = 0; i < 8; i++) {
            await peer.loopStore.deleteLogs(exp);
            await new Promise((r) => setTimeout(r, 2));
          }
        })();
        await Promise.all([commits, deletes]);
        await stores.eventStore.commit(batch({ decisions: [ranked(exp, f)] }));
        const left = await collect(peer.eventStore.exportDecisions(exp));
        assert.ok(left.length >= 1);
        for (const d of left) assert.deepEqual(d.features, f);
      });

      it("racing earliest rewards for the same events: each event counted exactly once", async () => {
        const exp = await newExperiment();
        const n = 600;
        const decisions = Array.from({ length: n }, (_, i) =>
          decision(uid("ev"), exp, { segment: `s${i % 3}`, armId: i % 2 === 0 ? "a" : "b" }),
        );
        await stores.eventStore.commit(batch({ decisions }));
        // the same reward per event from both sides (same value and evidence), in different orders
        const ops = decisions.map((d, i) =>
          rewardOp(d, i % 4 === 0 ? 1 : 0, { evidence: { n: 1, s1: i % 4 === 0 ? 1 : 0, s2: 0.5 } }),
        );
        const rounds = (list: RewardOp[], size: number) =>
          Array.from({ length: Math.ceil(list.length / size) }, (_, k) => list.slice(k * size, (k + 1) * size));
        const run = async (s: Stores, list: RewardOp[]) => {
          const outcomes: string[] = [];
          for (const chunk of rounds(list, 100)) {
            outcomes.push(...(await s.eventStore.commit(batch({ rewards: chunk }))).rewardOutcomes);
          }
          return outcomes;
        };
        const [mine, theirs] = await Promise.all([run(stores, ops), run(peer, [...ops].reverse())]);
        const applied = [...mine, ...theirs].filter((o) => o === "applied").length;
        const duplicates = [...mine, ...theirs].filter((o) => o === "duplicate").length;
        assert.deepEqual([applied, duplicates], [n, n]);

        const rows = await stores.eventStore.loadPosteriors(exp);
        const global = rows.filter((r) => r.segment === "*");
        const total = sumEvidence(global.map((r) => ({ n: r.n, s1: r.s1, s2: r.s2 })));
        assert.deepEqual(total, { n, s1: n / 4, s2: n / 2 });
        assert.equal(
          global.reduce((s, r) => s + r.rewards, 0),
          n,
        );
        const [g] = await peer.eventStore.groupStats(exp);
        assert.deepEqual([g?.decisions, g?.rewards, g?.rewardSum], [n, n, n / 4]);
      });

      it("racing sum rewards: every reward counted", async () => {
        const exp = await newExperiment({ rewardAggregation: "sum" });
        const decisions = Array.from({ length: 100 }, () => decision(uid("ev"), exp));
        await stores.eventStore.commit(batch({ decisions }));
        const ops = decisions.map((d) => rewardOp(d, 1, { aggregation: "sum" }));
        const run = async (s: Stores) => {
          for (let k = 0; k < 5; k++) await s.eventStore.commit(batch({ rewards: ops }));
        };
        await Promise.all([run(stores), run(peer)]);
        const r = row(await stores.eventStore.loadPosteriors(exp), "*", "a");
        assert.deepEqual([r?.rewards, r?.n], [1000, 1000]);
        const exported = await collect(peer.eventStore.exportDecisions(exp));
        assert.ok(exported.every((d) => d.rewards.length === 10));
      });

      it("rewards racing activations: every stored reward applied exactly once", async () => {
        const exp = await newExperiment();
        const decisions = Array.from({ length: 400 }, () => decision(uid("ev"), exp, { activated: false }));
        await stores.eventStore.commit(batch({ decisions }));
        const rewardsSide = async () => {
          for (let k = 0; k < decisions.length; k += 50) {
            await stores.eventStore.commit(batch({ rewards: decisions.slice(k, k + 50).map((d) => rewardOp(d, 1)) }));
          }
        };
        let activatedEvidence = 0;
        const activationSide = async () => {
          for (let k = 0; k < decisions.length; k += 40) {
            const result = await peer.eventStore.commit(
              batch({ activations: decisions.slice(k, k + 40).map((d) => d.eventId) }),
            );
            activatedEvidence += result.activatedEvidence.length;
          }
        };
        await Promise.all([rewardsSide(), activationSide()]);
        const r = row(await stores.eventStore.loadPosteriors(exp), "*", "a");
        assert.deepEqual([r?.rewards, r?.n], [400, 400]);
        assert.ok(activatedEvidence <= 400);
        const exported = await collect(stores.eventStore.exportDecisions(exp));
        assert.ok(exported.every((d) => d.activated && d.rewards.length === 1));
      });
    });
  });
}

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createKeyService } from "../../src/auth/key-service.js";
import { createStores } from "../../src/stores/create-stores.js";
import { createTestDatabase, postgresUnavailable } from "../helpers/postgres.js";
import { type ApiClient, apiClient, countsOf, type StatsBody } from "./helpers/api-client.js";
import { entries } from "./helpers/replay.js";
import { type ServerProcess, spawnServer } from "./helpers/server-process.js";

/**
 * Two server processes on one PostgreSQL database: decisions go to one, rewards to the other,
 * and after the refresh interval both report the exact counts and the same posteriors.
 */

const REFRESH_MS = 200;
const DECISIONS = 240;
const CONCURRENCY = 8;
const COUNTRIES = ["de", "fr", "us"];
const EXPERIMENT = "multi";
/** Reward values whose sums are exact in binary floating point. */
const VALUES = [0, 0.25, 0.5, 1];

type Counts = { pulls: number; rewards: number; rewardSum: number };

/** Runs tasks with a fixed number in flight. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pgSkip = await postgresUnavailable();
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe("several instances on one PostgreSQL database", { skip: pgSkip }, () => {
  it("decisions on one, rewards on the other: both converge to the exact counts and equal posteriors", async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    // the admin key exists before either starts, so that neither creates one of its own
    const stores = await createStores({ kind: "postgres", url: db.url, poolSize: 1 });
    const { secret: key } = await createKeyService(stores.keyStore).create({ name: "test admin", scopes: ["admin"] });
    await stores.close();

    const env = { BANDITRY_REFRESH_INTERVAL_MS: String(REFRESH_MS) };
    const servers: ServerProcess[] = await Promise.all(
      [0, 1].map(() => spawnServer({ args: ["--database-url", db.url], env, expectKey: false })),
    );
    cleanups.push(async () => {
      for (const s of servers) await s.stop("SIGKILL");
    });
    const [a, b] = servers.map((s) => apiClient(s.url, key)) as [ApiClient, ApiClient];

    // an experiment created on A is usable on B at once (B loads it on first use)
    const created = await a.post("/v1/experiments", {
      id: EXPERIMENT,
      reward: "bernoulli",
      segmentKeys: ["country"],
      arms: [{ id: "x" }, { id: "y" }, { id: "z" }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    // decisions on B
    const expected = new Map<string, Counts>();
    const bump = (key: string, pulls: number, reward: number | null) => {
      const c = expected.get(key) ?? { pulls: 0, rewards: 0, rewardSum: 0 };
      c.pulls += pulls;
      if (reward !== null) {
        c.rewards += 1;
        c.rewardSum += reward;
      }
      expected.set(key, c);
    };
    const decided: { eventId: string; armId: string; segment: string }[] = [];
    await pool(
      Array.from({ length: DECISIONS }, (_, i) => i),
      CONCURRENCY,
      async (i) => {
        const eventId = `m-${i}`;
        const r = await b.post<{ arm: { id: string }; segment: string }>(`/v1/experiments/${EXPERIMENT}/decisions`, {
          eventId,
          context: { country: COUNTRIES[i % COUNTRIES.length] },
        });
        assert.equal(r.status, 201, `decide ${eventId} on B: ${JSON.stringify(r.body)}`);
        decided.push({ eventId, armId: r.body.arm.id, segment: r.body.segment });
      },
    );
    // rewards on A for three decisions in four: one by one, then the rest in one batch
    const rewarded = decided.filter((_, i) => i % 4 !== 3);
    const rewardValue = (eventId: string) => VALUES[Number(eventId.slice(2)) % VALUES.length]!;
    const singles = rewarded.slice(0, 40);
    await pool(singles, CONCURRENCY, async ({ eventId }) => {
      const r = await a.post(`/v1/decisions/${eventId}/reward`, { value: rewardValue(eventId) });
      assert.equal(r.status, 204, `reward ${eventId} on A: ${JSON.stringify(r.body)}`);
    });
    const batch = rewarded.slice(40).map(({ eventId }) => ({ eventId, value: rewardValue(eventId) }));
    const r = await a.post<{ results: { status: string }[] }>("/v1/rewards", { rewards: batch });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(new Set(r.body.results.map((x) => x.status)), new Set(["applied"]), "every batch item applied");

    const rewardedIds = new Set(rewarded.map((d) => d.eventId));
    for (const d of decided) {
      const value = rewardedIds.has(d.eventId) ? rewardValue(d.eventId) : null;
      bump(`${d.segment}/${d.armId}`, 1, value);
      bump(`*/${d.armId}`, 1, value);
    }
    const want = entries(expected);

    // after the refresh interval, both report exactly what was sent
    const statsOf = async (api: ApiClient): Promise<StatsBody> => {
      const s = await api.get<StatsBody>(`/v1/experiments/${EXPERIMENT}/stats`);
      assert.equal(s.status, 200, JSON.stringify(s.body));
      return s.body;
    };
    const converged = await waitFor("both instances to report the exact counts", 20_000, async () => {
      const both = [await statsOf(a), await statsOf(b)];
      const same = both.every((s) => JSON.stringify(entries(countsOf(s))) === JSON.stringify(want));
      return same ? both : undefined;
    });
    const [sa, sb] = converged as [StatsBody, StatsBody];
    assert.deepEqual(entries(countsOf(sa)), want, "A: exact pulls, rewards and reward sums per segment and arm");
    assert.deepEqual(entries(countsOf(sb)), want, "B: exact pulls, rewards and reward sums per segment and arm");

    // equal posteriors: the same Beta(1 + Σr, 1 + n − Σr) on both, per segment and arm
    const posteriorsOf = (s: StatsBody) =>
      s.segments.flatMap((seg) => seg.arms.map((x) => [`${seg.segment}/${x.armId}`, x.mean, x.lower, x.upper]));
    assert.deepEqual(posteriorsOf(sa), posteriorsOf(sb), "A and B hold the same posteriors");
    for (const seg of sa.segments) {
      if (seg.segment !== "*") continue; // segments borrow from "*", so only "*" is the plain Beta
      for (const arm of seg.arms) {
        const c = expected.get(`*/${arm.armId}`) ?? { pulls: 0, rewards: 0, rewardSum: 0 };
        const mean = (1 + c.rewardSum) / (2 + c.rewards);
        assert.ok(Math.abs(arm.mean - mean) < 1e-12, `posterior mean of ${arm.armId}: ${arm.mean} vs ${mean}`);
      }
    }
    const groupsOf = (s: StatsBody) => s.groups.map((g) => [g.group, g.decisions, g.rewards]);
    assert.deepEqual(groupsOf(sa), [
      ["bandit", DECISIONS, rewarded.length],
      ["control", 0, 0],
    ]);
    assert.deepEqual(groupsOf(sb), groupsOf(sa), "A and B agree on the group counts");

    // and the other way round: an experiment created on B decides on A at once
    const other = await b.post("/v1/experiments", { id: "from-b", reward: "gaussian", arms: [{ id: "p" }] });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    const onA = await a.post<{ arm: { id: string } }>("/v1/experiments/from-b/decisions", {});
    assert.equal(onA.status, 201, JSON.stringify(onA.body));
    assert.equal(onA.body.arm.id, "p");
  });
});

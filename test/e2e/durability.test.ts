import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createStores, type StoresOptions } from "../../src/stores/create-stores.js";
import type { DecisionWithRewards } from "../../src/stores/stores.js";
import { createTestDatabase, postgresUnavailable } from "../helpers/postgres.js";
import { tempDataDir } from "../helpers/sqlite.js";
import { type ApiClient, apiClient, countsOf, type StatsBody } from "./helpers/api-client.js";
import { entries, posteriorTotals, replayBernoulli } from "./helpers/replay.js";
import { type ServerProcess, spawnServer } from "./helpers/server-process.js";

/**
 * Crash durability of the real server: clients post decisions and rewards over HTTP, the process
 * is killed with SIGKILL mid-load, restarted on the same data, and every acknowledged (2xx) write
 * must be there, counted once, with posteriors equal to a replay of the logged events.
 */

const CLIENTS = 8;
/** Kill once this many decisions were acknowledged (or after KILL_AFTER_MS, whichever first). */
const KILL_AT_DECISIONS = 250;
const KILL_AFTER_MS = 10_000;
const REWARD_BATCH = 8;
const COUNTRIES = ["de", "fr", "us"];
const EXPERIMENT = "dur";

interface Ledger {
  attemptedDecisions: Set<string>;
  ackedDecisions: Map<string, { armId: string; segment: string }>;
  attemptedRewards: Map<string, number>;
  ackedRewards: Map<string, number>;
  /** Non-2xx answers, or failures before the kill: none may happen. */
  unexpected: string[];
  inflight: number;
  killed: boolean;
}

function newLedger(): Ledger {
  return {
    attemptedDecisions: new Set(),
    ackedDecisions: new Map(),
    attemptedRewards: new Map(),
    ackedRewards: new Map(),
    unexpected: [],
    inflight: 0,
    killed: false,
  };
}

/** One client: decide, then reward (alone or in batches through /v1/rewards), until the kill. */
async function client(c: number, api: ApiClient, ledger: Ledger): Promise<void> {
  const tracked = async <T>(work: Promise<T>, what: string): Promise<T | undefined> => {
    ledger.inflight++;
    try {
      return await work;
    } catch (e) {
      if (!ledger.killed) ledger.unexpected.push(`${what}: ${(e as Error).message}`);
      return undefined;
    } finally {
      ledger.inflight--;
    }
  };
  let batch: { eventId: string; value: number }[] = [];
  for (let j = 0; !ledger.killed; j++) {
    const eventId = `c${c}-${j}`;
    ledger.attemptedDecisions.add(eventId);
    const decided = await tracked(
      api.post<{ arm: { id: string }; segment: string }>(`/v1/experiments/${EXPERIMENT}/decisions`, {
        eventId,
        context: { country: COUNTRIES[(c + j) % COUNTRIES.length] },
      }),
      `decide ${eventId}`,
    );
    if (decided === undefined) return;
    if (decided.status !== 201) {
      ledger.unexpected.push(`decide ${eventId}: ${decided.status} ${JSON.stringify(decided.body)}`);
      return;
    }
    ledger.ackedDecisions.set(eventId, { armId: decided.body.arm.id, segment: decided.body.segment });
    if (j % 5 === 4) continue; // some decisions never get a reward
    const value = (c * 31 + j * 7) % 3 === 0 ? 1 : 0;
    ledger.attemptedRewards.set(eventId, value);
    if (j % 2 === 0) {
      const r = await tracked(api.post(`/v1/decisions/${eventId}/reward`, { value }), `reward ${eventId}`);
      if (r === undefined) return;
      if (r.status !== 204) ledger.unexpected.push(`reward ${eventId}: ${r.status} ${JSON.stringify(r.body)}`);
      else ledger.ackedRewards.set(eventId, value);
      continue;
    }
    batch.push({ eventId, value });
    if (batch.length < REWARD_BATCH) continue;
    const items = batch;
    batch = [];
    const r = await tracked(
      api.post<{ results: { eventId: string; status: string }[] }>("/v1/rewards", { rewards: items }),
      "reward batch",
    );
    if (r === undefined) return;
    if (r.status !== 200) {
      ledger.unexpected.push(`reward batch: ${r.status} ${JSON.stringify(r.body)}`);
      continue;
    }
    r.body.results.forEach((result, i) => {
      if (result.status === "applied") ledger.ackedRewards.set(items[i]!.eventId, items[i]!.value);
      else ledger.unexpected.push(`batch item ${items[i]!.eventId}: ${JSON.stringify(result)}`);
    });
  }
}

async function exportAll(options: StoresOptions): Promise<{
  decisions: DecisionWithRewards[];
  posteriors: ReturnType<typeof posteriorTotals>;
  groups: { group: string; decisions: number; rewards: number; rewardSum: number }[];
}> {
  const stores = await createStores(options);
  try {
    const decisions: DecisionWithRewards[] = [];
    for await (const d of stores.eventStore.exportDecisions(EXPERIMENT)) decisions.push(d);
    const posteriors = posteriorTotals(await stores.eventStore.loadPosteriors(EXPERIMENT));
    const groups = (await stores.eventStore.groupStats(EXPERIMENT)).map((g) => ({
      group: g.group,
      decisions: g.decisions,
      rewards: g.rewards,
      rewardSum: g.rewardSum,
    }));
    return { decisions, posteriors, groups };
  } finally {
    await stores.close();
  }
}

async function crashAndRecover(serveArgs: string[], storesOptions: StoresOptions): Promise<void> {
  let server: ServerProcess | undefined = await spawnServer({ args: serveArgs, expectKey: true });
  try {
    const key = server.key!;
    const api = apiClient(server.url, key);
    const created = await api.post(`/v1/experiments`, {
      id: EXPERIMENT,
      reward: "bernoulli",
      segmentKeys: ["country"],
      arms: [{ id: "a" }, { id: "b" }, { id: "c" }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    // ---- load, then SIGKILL mid-load
    const ledger = newLedger();
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c, api, ledger));
    const started = Date.now();
    while (
      ledger.ackedDecisions.size < KILL_AT_DECISIONS &&
      Date.now() - started < KILL_AFTER_MS &&
      ledger.unexpected.length === 0
    ) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const inflightAtKill = ledger.inflight;
    server.child.kill("SIGKILL");
    ledger.killed = true;
    const exit = await server.exited;
    await Promise.all(clients);
    assert.deepEqual(ledger.unexpected, [], "every answer before the kill was a 2xx");
    assert.equal(exit.signal, "SIGKILL", "the server died of SIGKILL");
    assert.ok(inflightAtKill > 0, "requests were in flight when the server was killed");
    assert.ok(ledger.ackedDecisions.size >= 50, `enough decisions acknowledged: ${ledger.ackedDecisions.size}`);
    assert.ok(ledger.ackedRewards.size >= 20, `enough rewards acknowledged: ${ledger.ackedRewards.size}`);

    // ---- restart on the same data
    server = await spawnServer({ args: serveArgs, expectKey: false });
    assert.equal(server.key, null, "no new admin key on a restart");
    const restarted = apiClient(server.url, key); // port 0: a new port
    const { decisions, posteriors, groups } = await exportAll(storesOptions);
    const stored = new Map(decisions.map((d) => [d.eventId, d]));

    // every acknowledged decision is there, as answered; nothing that was never sent is
    for (const [eventId, answered] of ledger.ackedDecisions) {
      const d = stored.get(eventId);
      assert.ok(d !== undefined, `acknowledged decision ${eventId} survived the crash`);
      assert.equal(d.armId, answered.armId, `decision ${eventId} kept its arm`);
      assert.equal(d.segment, answered.segment, `decision ${eventId} kept its segment`);
    }
    for (const eventId of stored.keys()) {
      assert.ok(ledger.attemptedDecisions.has(eventId), `stored decision ${eventId} was sent by a client`);
    }
    // every acknowledged reward is counted once, with its value; no reward that was never sent
    for (const [eventId, value] of ledger.ackedRewards) {
      const rewards = stored.get(eventId)?.rewards ?? [];
      assert.deepEqual(
        rewards.map((r) => r.value),
        [value],
        `acknowledged reward of ${eventId} is recorded exactly once`,
      );
    }
    for (const d of decisions) {
      for (const r of d.rewards) {
        assert.equal(r.value, ledger.attemptedRewards.get(d.eventId), `stored reward of ${d.eventId} was sent`);
      }
    }

    // the posteriors and group counters equal a replay of the logged decisions and rewards
    const replay = replayBernoulli(decisions);
    assert.deepEqual(entries(posteriors), entries(replay), "posteriors table = replay of decisions and rewards");
    const rewardRows = decisions.flatMap((d) => d.rewards);
    assert.deepEqual(
      groups,
      [
        {
          group: "bandit",
          decisions: decisions.length,
          rewards: rewardRows.length,
          rewardSum: rewardRows.reduce((s, r) => s + r.value, 0),
        },
      ],
      "group counters = replay",
    );

    // the restarted server's memory (loaded from the store) reports the same
    const stats = await restarted.get<StatsBody>(`/v1/experiments/${EXPERIMENT}/stats`);
    assert.equal(stats.status, 200, JSON.stringify(stats.body));
    const expected = new Map(
      [...replay].map(([k, t]) => [k, { pulls: t.pulls, rewards: t.rewards, rewardSum: t.rewardSum }]),
    );
    assert.deepEqual(entries(countsOf(stats.body)), entries(expected), "GET stats after restart = replay");

    // idempotency survived the crash; an unrewarded decision still takes its reward
    const rewarded = [...ledger.ackedRewards.keys()][0]!;
    const again = await restarted.post<{ error: { code: string } }>(`/v1/decisions/${rewarded}/reward`, { value: 1 });
    assert.equal(again.status, 409, `second reward of ${rewarded} refused`);
    assert.equal(again.body.error.code, "BANDITRY_REWARD_EXISTS", JSON.stringify(again.body));
    const unrewarded = [...ledger.ackedDecisions.keys()].find((id) => !ledger.attemptedRewards.has(id))!;
    const late = await restarted.post(`/v1/decisions/${unrewarded}/reward`, { value: 1 });
    assert.equal(late.status, 204, `late reward of ${unrewarded}: ${JSON.stringify(late.body)}`);

    const stop = await server.stop("SIGTERM");
    assert.equal(stop.code, 0, `graceful exit on SIGTERM: ${server.output()}`);
    server = undefined;
  } finally {
    await server?.stop("SIGKILL");
  }
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

const pgSkip = await postgresUnavailable();

describe("durability: SIGKILL under load, restart", () => {
  it("SQLite: every acknowledged write survives, posteriors = replay", async () => {
    const data = await tempDataDir();
    cleanups.push(data.remove);
    await crashAndRecover(["--data-dir", data.dir], { kind: "sqlite", dataDir: data.dir });
  });

  it("PostgreSQL: every acknowledged write survives, posteriors = replay", { skip: pgSkip }, async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    await crashAndRecover(["--database-url", db.url], { kind: "postgres", url: db.url, poolSize: 2 });
  });
});

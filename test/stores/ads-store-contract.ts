import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isBanditryError } from "../../src/domain/errors.js";
import { NOT_EXECUTED } from "../../src/stores/not-executed.js";
import type { AdsPlanItemRecord, AdsPlanRecord, AdsScheduleRecord, Stores } from "../../src/stores/stores.js";
import type { StoreHarness } from "./contract.js";
import { uid } from "./fixtures.js";
import { freshStoresEachTest } from "./fresh-stores.js";

/** A 64-bit id beyond 2^53: any detour through a JS number would change it. */
const bigId = (n: number) => `9007199254740${String(993 + n).padStart(6, "0")}`;

function plan(id: string, profileId: string, createdAt: number): AdsPlanRecord {
  return {
    id,
    profileId,
    today: "2026-03-01",
    status: "dryRun",
    settings: { strategy: "balanced", targetAcos: 0.25 },
    createdAt,
    updatedAt: createdAt,
    error: null,
  };
}

function item(planId: string, profileId: string, keywordId: string, extra: Partial<AdsPlanItemRecord> = {}) {
  const record: AdsPlanItemRecord = {
    planId,
    profileId,
    keywordId,
    adGroupId: bigId(900),
    campaignId: bigId(901),
    currentBid: 0.5,
    proposedBid: 0.55,
    action: "change",
    armId: "m1.1",
    multiplier: 1.1,
    expectedReward: 0.6,
    confidence: 0.7,
    reason: "bandit chose 1.1",
    eventId: `${planId}:${keywordId}`,
    modelBid: null,
    modelWeight: 0,
    execution: "pending",
    ...NOT_EXECUTED,
    ...extra,
  };
  return record;
}

function schedule(id: string, profileId: string, nextRunAt: number): AdsScheduleRecord {
  return {
    id,
    profileId,
    cadence: "daily",
    strategy: "balanced",
    targetAcos: 0.25,
    autoExecute: false,
    minConfidence: 0.8,
    enabled: true,
    nextRunAt,
    lastRunAt: null,
    lastPlanId: null,
    lastError: null,
    createdAt: 1,
    updatedAt: 1,
  };
}

/** What every store must do for the bid optimizer service (src/apps/ads/service). */
export function runAdsStoreContract(harness: StoreHarness): void {
  describe(`ads store contract: ${harness.name}`, { skip: harness.skip ?? false }, () => {
    let stores: Stores;
    freshStoresEachTest(harness, (s) => {
      stores = s;
    });

    it("upserts profiles and keeps 64-bit ids of keywords exact", async () => {
      const profileId = uid("p");
      const ads = stores.adsStore;
      await ads.upsertProfile({
        profileId,
        countryCode: "US",
        currencyCode: "USD",
        timezone: "America/Los_Angeles",
        accountName: "first",
        region: "NA",
        apiBaseUrl: "http://127.0.0.1:1",
        tokenUrl: null,
        refreshToken: "Atzr|x",
        syncedAt: null,
        createdAt: 5,
      });
      await ads.upsertProfile({ ...(await ads.getProfile(profileId))!, accountName: "renamed", createdAt: 99 });
      const p = await ads.getProfile(profileId);
      assert.equal(p?.accountName, "renamed");
      assert.equal(p?.createdAt, 5, "createdAt is kept on update");
      await ads.setProfileSynced(profileId, 1234);
      assert.equal((await ads.getProfile(profileId))?.syncedAt, 1234);
      assert.ok(
        (await ads.listProfiles()).some((x) => x.profileId === profileId),
        "listed",
      );

      const ids = [bigId(uidNumber()), bigId(uidNumber())];
      const kw = (keywordId: string, bid: number) => ({
        profileId,
        keywordId,
        adGroupId: bigId(1),
        campaignId: bigId(2),
        keywordText: `kw ${keywordId}`,
        matchType: "EXACT",
        state: "ENABLED",
        bid,
        syncedAt: 10,
      });
      await ads.upsertKeywords([kw(ids[0]!, 0.4), kw(ids[1]!, 0.5)]);
      await ads.upsertKeywords([kw(ids[0]!, 0.45)]);
      const listed = await ads.listKeywords(profileId);
      assert.deepEqual(listed.map((k) => k.keywordId).sort(), [...ids].sort());
      assert.equal((await ads.getKeyword(ids[0]!))?.bid, 0.45);
      assert.equal((await ads.getKeyword(ids[1]!))?.adGroupId, bigId(1));
    });

    it("keyword days: restated figures replace earlier ones; filtered by date and keyword", async () => {
      const profileId = uid("p");
      const k = uid("k");
      const day = (date: string, sales: number) => ({
        profileId,
        keywordId: k,
        date,
        impressions: 100,
        clicks: 10,
        cost: 4.2,
        sales,
        orders: sales > 0 ? 1 : 0,
      });
      await stores.adsStore.upsertKeywordDays([day("2026-03-01", 0), day("2026-03-02", 20)]);
      await stores.adsStore.upsertKeywordDays([day("2026-03-01", 31.5)]);
      const all = await stores.adsStore.keywordDays(profileId);
      assert.deepEqual(
        all.map((d) => [d.date, d.sales, d.orders]),
        [
          ["2026-03-01", 31.5, 1],
          ["2026-03-02", 20, 1],
        ],
      );
      assert.equal((await stores.adsStore.keywordDays(profileId, { from: "2026-03-02" })).length, 1);
      assert.equal((await stores.adsStore.keywordDays(profileId, { keywordId: "other" })).length, 0);
    });

    it("plans: create once, compare-and-set status, item outcomes, executed changes, rewards", async () => {
      const ads = stores.adsStore;
      const profileId = uid("p");
      const planId = uid("plan");
      const [k1, k2] = [uid("k"), uid("k")];
      await ads.createPlan(plan(planId, profileId, 100), [item(planId, profileId, k1), item(planId, profileId, k2)]);
      await assert.rejects(ads.createPlan(plan(planId, profileId, 100), []), (e: unknown) => {
        assert.ok(isBanditryError(e) && e.code === "BANDITRY_ADS_CONFLICT", `expected a conflict, got ${String(e)}`);
        return true;
      });
      assert.deepEqual((await ads.getPlan(planId))?.settings, { strategy: "balanced", targetAcos: 0.25 });
      assert.equal(await ads.setPlanStatus(planId, ["approved"], "executing", 200), false);
      assert.equal(await ads.setPlanStatus(planId, ["dryRun", "approved"], "executing", 200), true);
      assert.equal(await ads.setPlanStatus(planId, ["dryRun", "approved"], "executing", 201), false);
      assert.equal((await ads.getPlan(planId))?.status, "executing");

      await ads.setItemOutcomes(
        planId,
        [
          { keywordId: k1, execution: "pushing", errorCode: null, errorMessage: null },
          { keywordId: k2, execution: "failed", errorCode: "BID_OUT_OF_MARKET_PLACE_RANGE", errorMessage: "too high" },
        ],
        300,
      );
      const change = {
        profileId,
        planId,
        keywordId: k1,
        date: "2026-03-01",
        fromBid: 0.5,
        toBid: 0.55,
        eventId: `${planId}:${k1}`,
        executedAt: 400,
        rewardedAt: null,
      };
      await ads.recordExecuted(planId, [change], 400);
      await ads.recordExecuted(planId, [{ ...change, executedAt: 999 }], 999); // a re-run keeps the first
      await ads.markActivated(planId, [k1], 410);
      await ads.markActivated(planId, [k1], 420);
      const items = await ads.planItems(planId);
      const i1 = items.find((i) => i.keywordId === k1)!;
      const i2 = items.find((i) => i.keywordId === k2)!;
      assert.equal(i1.execution, "succeeded");
      assert.equal(i1.activatedAt, 410, "activation time kept");
      assert.deepEqual([i2.execution, i2.errorCode], ["failed", "BID_OUT_OF_MARKET_PLACE_RANGE"]);
      const changes = await ads.listChanges(profileId);
      assert.deepEqual(
        changes.map((c) => [c.keywordId, c.executedAt, c.rewardedAt]),
        [[k1, 400, null]],
      );

      await ads.markRewarded([{ eventId: `${planId}:${k1}`, value: 0.8 }], 500);
      await ads.markRewarded([{ eventId: `${planId}:${k1}`, value: 0.1 }], 600);
      assert.equal((await ads.listChanges(profileId, { keywordId: k1 }))[0]?.rewardedAt, 500);
      const rewarded = (await ads.keywordItems(k1, 5))[0];
      assert.deepEqual([rewarded?.rewardedAt, rewarded?.rewardValue], [500, 0.8]);

      const later = uid("plan");
      await ads.createPlan(plan(later, profileId, 150), [item(later, profileId, k1, { action: "hold" })]);
      assert.deepEqual(
        (await ads.listPlans({ profileId })).map((p) => p.id),
        [later, planId],
      );
      assert.deepEqual(
        (await ads.keywordItems(k1, 5)).map((i) => i.planId),
        [later, planId],
      );
    });

    it("schedules: CRUD and a due run claimed once", async () => {
      const ads = stores.adsStore;
      const id = uid("s");
      const profileId = uid("p");
      await ads.createSchedule(schedule(id, profileId, 1000));
      await assert.rejects(ads.createSchedule(schedule(id, profileId, 1000)), /already taken/);
      const updated = await ads.updateSchedule(id, { autoExecute: true, minConfidence: 0.9, lastError: "x" }, 50);
      assert.deepEqual(
        [updated?.autoExecute, updated?.minConfidence, updated?.lastError, updated?.updatedAt],
        [true, 0.9, "x", 50],
      );
      assert.equal(await ads.updateSchedule("missing", { enabled: false }, 1), undefined);
      assert.equal(await ads.claimScheduleRun(id, 1000, 2000), true);
      assert.equal(await ads.claimScheduleRun(id, 1000, 2000), false);
      assert.equal((await ads.getSchedule(id))?.nextRunAt, 2000);
      assert.deepEqual(
        (await ads.listSchedules({ profileId })).map((s) => s.id),
        [id],
      );
      assert.equal(await ads.deleteSchedule(id), true);
      assert.equal(await ads.deleteSchedule(id), false);
    });

    it("lease: taken, renewed by its holder, refused to others until it expires", async () => {
      const ads = stores.adsStore;
      const name = uid("lease");
      assert.equal(await ads.acquireLease(name, "a", 1000, 500), true);
      assert.equal(await ads.acquireLease(name, "b", 1200, 500), false);
      assert.equal(await ads.acquireLease(name, "a", 1400, 500), true, "renewed");
      assert.equal(await ads.acquireLease(name, "b", 1800, 500), false, "renewal moved the expiry to 1900");
      assert.equal(await ads.acquireLease(name, "b", 1900, 500), true, "taken over once expired");
      assert.equal(await ads.acquireLease(name, "a", 2000, 500), false);
      await ads.releaseLease(name, "a"); // not the holder: nothing happens
      assert.equal(await ads.acquireLease(name, "a", 2000, 500), false);
      await ads.releaseLease(name, "b");
      assert.equal(await ads.acquireLease(name, "a", 2000, 500), true);
    });

    describe("two processes", { skip: harness.createPeer ? false : (harness.peerSkip ?? true) }, () => {
      it("racing for a free lease, exactly one wins", async () => {
        const peer = await harness.createPeer!(stores);
        try {
          for (let round = 0; round < 5; round++) {
            const name = uid("lease");
            const won = await Promise.all([
              stores.adsStore.acquireLease(name, "a", 1000, 500),
              peer.adsStore.acquireLease(name, "b", 1000, 500),
            ]);
            assert.equal(won.filter(Boolean).length, 1, `round ${round}: ${won}`);
          }
        } finally {
          await peer.close();
        }
      });
    });
  });
}

let next = 0;
function uidNumber(): number {
  next += 1;
  return (process.pid % 1000) * 1000 + next;
}

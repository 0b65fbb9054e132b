import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { PlanView } from "../../../src/apps/ads/service/plan-view.js";
import type { Stores } from "../../../src/stores/stores.js";
import { postgresStores, postgresUnavailable } from "../../helpers/postgres.js";
import { sqliteStores } from "../../helpers/sqlite.js";
import { countRequests } from "./helpers/ads-env.js";
import { startServiceEnv } from "./helpers/service-env.js";

const unavailable = await postgresUnavailable();

function fullCycle(name: string, harness: { create(): Promise<Stores>; cleanup(): Promise<void> }, skip?: string) {
  describe(`ads service full cycle through the HTTP API: ${name}`, { skip: skip ?? false }, () => {
    after(() => harness.cleanup());

    it("sync → optimize (dry run) → approve → execute → settle → reward, idempotent approve", async () => {
      const env = await startServiceEnv(await harness.create());
      try {
        const { app, admin, read, ads } = env;
        const pid = ads.profileId;
        const inject = async (method: "GET" | "POST", url: string, headers = admin, payload?: object) => {
          const res = await app.inject(
            payload === undefined ? { method, url, headers } : { method, url, headers, payload: payload as object },
          );
          return { status: res.statusCode, body: res.body === "" ? undefined : res.json() };
        };

        // sync: keywords and the daily report land in the store
        const sync = await inject("POST", `/v1/ads/profiles/${pid}/sync`);
        assert.equal(sync.status, 200, JSON.stringify(sync.body));
        assert.equal(sync.body.keywords, ads.marketplace.keywords().length);
        assert.ok(sync.body.reportDays > 100, `report rows stored: ${sync.body.reportDays}`);
        assert.equal(sync.body.endDate, ads.marketplace.lastCompleteDate);

        // optimize: a dry run touches no bid
        const before = ads.marketplace.keywords().map((k) => ads.marketplace.effectiveBid(k.keywordId));
        const created = await inject("POST", `/v1/ads/profiles/${pid}/optimize`, admin, {
          strategy: "balanced",
          targetAcos: 0.25,
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const plan = created.body as PlanView;
        assert.equal(plan.status, "dryRun");
        assert.equal(plan.items.length, ads.marketplace.keywords().filter((k) => k.state === "ENABLED").length);
        const changes = plan.items.filter((i) => i.action === "change");
        assert.ok(changes.length > 0, `the optimizer proposes changes: ${plan.items.map((i) => i.reason).join(" | ")}`);
        // a bandit change carries its decision; a discovery step for a keyword without data does not
        for (const c of changes) {
          assert.ok(
            c.eventId !== null || c.reason.toLowerCase().includes("discover"),
            `a change carries its bandit decision or is a discovery step: ${c.reason}`,
          );
        }
        assert.ok(
          changes.some((c) => c.eventId !== null),
          "the bandit decides some changes",
        );
        assert.deepEqual(
          ads.marketplace.keywords().map((k) => ads.marketplace.effectiveBid(k.keywordId)),
          before,
          "a dry run changes nothing",
        );
        assert.equal(countRequests(ads.fake, "PUT /sp/keywords"), 0);

        const listed = await inject("GET", "/v1/ads/plans", read);
        assert.equal(listed.status, 200);
        assert.deepEqual(
          listed.body.plans.map((p: { id: string }) => p.id),
          [plan.id],
        );
        assert.equal((await inject("GET", `/v1/ads/plans/${plan.id}`, read)).body.items.length, plan.items.length);
        assert.equal(
          (await inject("POST", `/v1/ads/plans/${plan.id}/approve`, read)).status,
          403,
          "read cannot approve",
        );

        // approve: every change pushed once, recorded, its decision activated
        const approved = await inject("POST", `/v1/ads/plans/${plan.id}/approve`);
        assert.equal(approved.status, 200, JSON.stringify(approved.body));
        assert.equal(approved.body.status, "executed");
        const puts = countRequests(ads.fake, "PUT /sp/keywords");
        assert.equal(puts, 1, "one chunk");
        for (const c of changes) {
          const item = (approved.body as PlanView).items.find((i) => i.keywordId === c.keywordId)!;
          assert.equal(item.execution, "succeeded", `${c.keywordId}: ${item.errorCode}`);
          assert.ok(item.eventId === null || item.activatedAt !== null, "decision activated");
          assert.equal(ads.marketplace.keyword(c.keywordId)?.bid, c.proposedBid);
        }
        const again = await inject("POST", `/v1/ads/plans/${plan.id}/approve`);
        assert.equal(again.status, 200);
        assert.equal(countRequests(ads.fake, "PUT /sp/keywords"), puts, "approving twice pushes nothing");

        const decided = changes.filter((c) => c.eventId !== null);
        const kw = decided[0]!.keywordId;
        const bandit = await inject("GET", `/v1/ads/keywords/${kw}/bandit`, read);
        assert.equal(bandit.status, 200, JSON.stringify(bandit.body));
        assert.equal(bandit.body.currentBid, decided[0]!.proposedBid);
        assert.equal(bandit.body.lastChanges.length, 1);
        assert.ok(bandit.body.arms.length >= 8, "the multiplier arms");

        // days pass; the changes' windows settle; the next sync sends their rewards
        ads.marketplace.advanceDays(12);
        const later = await inject("POST", `/v1/ads/profiles/${pid}/sync`);
        assert.equal(later.status, 200, JSON.stringify(later.body));
        assert.equal(later.body.rewards.sent, decided.length, JSON.stringify(later.body.rewards));
        assert.equal(later.body.rewards.applied, decided.length);
        const rewarded = (await inject("GET", `/v1/ads/plans/${plan.id}`, read)).body as PlanView;
        for (const c of decided) {
          const item = rewarded.items.find((i) => i.keywordId === c.keywordId)!;
          assert.ok(item.rewardedAt !== null && typeof item.rewardValue === "number", "rewarded");
        }
        const stats = await env.engine.stats(bandit.body.experimentId);
        const rewardsCounted = stats.segments.find((s) => s.segment === "*")!.arms.reduce((n, a) => n + a.rewards, 0);
        assert.equal(rewardsCounted, decided.length, "the rewards count for learning");
        // a third sync sends nothing twice
        const third = await inject("POST", `/v1/ads/profiles/${pid}/sync`);
        assert.equal(third.body.rewards.sent, 0);

        // errors name their field
        const bad = await inject("POST", `/v1/ads/profiles/${pid}/optimize`, admin, { targetAcos: -1 });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.field, "targetAcos");
        const missing = await inject("GET", "/v1/ads/plans/nope", read);
        assert.deepEqual([missing.status, missing.body.error.field], [404, "id"]);
        const unknownKw = await inject("GET", "/v1/ads/keywords/123/bandit", read);
        assert.deepEqual([unknownKw.status, unknownKw.body.error.field], [404, "keywordId"]);
      } finally {
        await env.close();
      }
    });
  });
}

fullCycle("sqlite", sqliteStores());
fullCycle("postgres", postgresStores(), unavailable);

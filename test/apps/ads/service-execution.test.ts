import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { PlanView } from "../../../src/apps/ads/service/plan-view.js";
import { sqliteStores } from "../../helpers/sqlite.js";
import { countRequests } from "./helpers/ads-env.js";
import { type ServiceEnv, startServiceEnv } from "./helpers/service-env.js";

const harness = sqliteStores();

async function withEnv(
  run: (env: ServiceEnv) => Promise<void>,
  options: Parameters<typeof startServiceEnv>[1] = {},
): Promise<void> {
  const env = await startServiceEnv(await harness.create(), options);
  try {
    await run(env);
  } finally {
    await env.close();
  }
}

async function syncAndPlan(env: ServiceEnv, body: Record<string, unknown> = {}): Promise<PlanView> {
  await env.service.sync(env.ads.profileId);
  const plan = await env.service.optimize(env.ads.profileId, { targetAcos: 0.25, ...body });
  assert.ok(
    plan.items.some((i) => i.action === "change"),
    "the plan has changes",
  );
  return plan;
}

const changed = (p: PlanView) => p.items.filter((i) => i.action === "change");

describe("ads plan execution", () => {
  after(() => harness.cleanup());

  it("a crash between push and mark: the re-run recognises the pushed bids and pushes nothing twice", async () => {
    let crash = true;
    await withEnv(
      async (env) => {
        const plan = await syncAndPlan(env);
        await assert.rejects(env.service.approve(plan.id), /simulated crash/);
        const crashed = await env.service.getPlan(plan.id);
        assert.equal(crashed.status, "failed");
        assert.ok(
          changed(crashed).every((i) => i.execution === "pushing"),
          "marked before the push, not after",
        );
        for (const i of changed(plan)) assert.equal(env.ads.marketplace.keyword(i.keywordId)?.bid, i.proposedBid);
        const puts = countRequests(env.ads.fake, "PUT /sp/keywords");

        crash = false;
        const done = await env.service.approve(plan.id);
        assert.equal(done.status, "executed");
        assert.equal(countRequests(env.ads.fake, "PUT /sp/keywords"), puts, "no bid pushed twice");
        assert.ok(
          changed(done).every((i) => i.execution === "succeeded" && (i.eventId === null || i.activatedAt !== null)),
          "applied, and the bandit's decisions activated",
        );
        const changes = await env.service.deps.store.listChanges(env.ads.profileId);
        assert.equal(changes.length, changed(plan).length, "each change recorded once");
        await env.service.approve(plan.id);
        assert.equal(countRequests(env.ads.fake, "PUT /sp/keywords"), puts);
      },
      {
        service: {
          afterPush: () => {
            if (crash) throw new Error("simulated crash after the PUT");
          },
        },
      },
    );
  });

  it("a keyword already at its proposed bid is not pushed; chunks of chunkSize", async () => {
    await withEnv(
      async (env) => {
        const plan = await syncAndPlan(env);
        const [first, ...rest] = changed(plan);
        env.ads.marketplace.setKeywordBid(first!.keywordId, first!.proposedBid); // set by hand meanwhile
        const done = await env.service.approve(plan.id);
        assert.equal(done.items.find((i) => i.keywordId === first!.keywordId)?.execution, "unchanged");
        assert.equal(countRequests(env.ads.fake, "PUT /sp/keywords"), Math.ceil(rest.length / 2));
        assert.ok(
          rest.every((r) => done.items.find((i) => i.keywordId === r.keywordId)?.execution === "succeeded"),
          "the others pushed",
        );
      },
      { service: { chunkSize: 2 } },
    );
  });

  it("partial 207 failures are recorded per keyword; failed bids stay, succeeded ones move", async () => {
    await withEnv(async (env) => {
      const plan = await syncAndPlan(env);
      const items = changed(plan);
      assert.ok(items.length >= 3, `enough changes: ${items.length}`);
      env.ads.fake.faults.add({ fault: { kind: "partialFailure", indices: [0, 2] } });
      const done = await env.service.approve(plan.id);
      assert.equal(done.status, "executed");
      items.forEach((planned, index) => {
        const item = done.items.find((i) => i.keywordId === planned.keywordId)!;
        if (index === 0 || index === 2) {
          assert.equal(item.execution, "failed");
          assert.ok(item.errorCode !== null && item.errorCode.length > 0, "the item's error code");
          assert.equal(item.activatedAt, null, "no activation for a failed push");
          assert.equal(env.ads.marketplace.effectiveBid(item.keywordId), planned.currentBid);
        } else {
          assert.equal(item.execution, "succeeded");
          assert.equal(env.ads.marketplace.keyword(item.keywordId)?.bid, planned.proposedBid);
        }
      });
      const recorded = await env.service.deps.store.listChanges(env.ads.profileId);
      assert.equal(recorded.length, items.length - 2);
    });
  });

  it("429 with Retry-After and 5xx on sync, report and PUT are survived through the client's retries", async () => {
    await withEnv(async (env) => {
      const faults = env.ads.fake.faults;
      faults.add(
        { fault: { kind: "throttle", retryAfterSeconds: 2 }, route: "POST /sp/keywords/list" },
        { fault: { kind: "serverError", status: 503 }, route: "POST /reporting/reports" },
        { fault: { kind: "serverError", status: 500 }, route: "POST /sp/campaigns/list" },
      );
      const plan = await syncAndPlan(env);
      faults.add(
        { fault: { kind: "throttle", retryAfterSeconds: 1 }, route: "PUT /sp/keywords", times: 2 },
        { fault: { kind: "serverError", status: 502 }, route: "PUT /sp/keywords", skip: 0 },
      );
      const done = await env.service.approve(plan.id);
      assert.ok(
        changed(done).every((i) => i.execution === "succeeded"),
        "all pushed",
      );
      assert.equal(faults.pending(), 0, "every fault was hit");
      assert.equal(countRequests(env.ads.fake, "PUT /sp/keywords", 429), 2);
      assert.equal(countRequests(env.ads.fake, "PUT /sp/keywords", 207), 1);
    });
  });

  it("autoExecute executes only the items with confidence ≥ minConfidence", async () => {
    await withEnv(async (env) => {
      await env.service.sync(env.ads.profileId);
      const dry = await env.service.optimize(env.ads.profileId, { targetAcos: 0.25 });
      const confidences = changed(dry)
        .map((i) => i.confidence)
        .sort((a, b) => a - b);
      const minConfidence = confidences[Math.floor(confidences.length / 2)]!;
      const plan = await env.service.optimize(env.ads.profileId, {
        targetAcos: 0.25,
        autoExecute: true,
        minConfidence,
      });
      assert.equal(plan.status, "executed");
      for (const i of changed(plan)) {
        assert.equal(i.execution, i.confidence >= minConfidence ? "succeeded" : "skipped", `${i.confidence}`);
      }
      assert.ok(
        changed(plan).some((i) => i.execution === "skipped"),
        "some below the bar",
      );
    });
  });
});

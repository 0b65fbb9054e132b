import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { type LoopServer, startLoopServer } from "./helpers/loop-server.js";

/*
 * Random and malformed requests to every Personalizer route of every version: whatever the
 * input, never a 5xx, and every 4xx carries Personalizer's error body {error: {code, message}}.
 */

const VERSIONS = ["v1.0", "v1.1-preview.1", "v1.1-preview.2", "v1.1-preview.3"];
const ROUTES: { method: "GET" | "POST" | "PUT" | "DELETE"; path: string }[] = [
  { method: "POST", path: "/rank" },
  { method: "POST", path: "/events/{eventId}/reward" },
  { method: "POST", path: "/events/{eventId}/activate" },
  { method: "POST", path: "/multislot/rank" },
  { method: "POST", path: "/multislot/events/{eventId}/reward" },
  { method: "POST", path: "/multislot/events/{eventId}/activate" },
  { method: "GET", path: "/configurations/service" },
  { method: "PUT", path: "/configurations/service" },
  { method: "GET", path: "/configurations/policy" },
  { method: "PUT", path: "/configurations/policy" },
  { method: "POST", path: "/configurations/applyFromEvaluation" },
  { method: "POST", path: "/evaluations" },
  { method: "GET", path: "/evaluations/{eventId}" },
  { method: "GET", path: "/logs/properties" },
  { method: "GET", path: "/model/properties" },
  { method: "GET", path: "/metrics/learning" },
];

const FIELDS = [
  "contextFeatures",
  "actions",
  "excludedActions",
  "eventId",
  "deferActivation",
  "slots",
  "value",
  "reward",
  "rewardWaitTime",
  "defaultReward",
  "rewardAggregation",
  "explorationPercentage",
  "modelExportFrequency",
  "logRetentionDays",
  "learningMode",
  "isInferenceExplainabilityEnabled",
  "name",
  "arguments",
  "evaluationId",
  "policyName",
  "startTime",
  "endTime",
  "policies",
];

const weird = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom("", "__proto__", "PT10M", "00:10:00", "P99999999D", "-1", "a/b", "%", "\u0000", "x".repeat(300)),
);
const leaf = fc.oneof(
  weird,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(1e308, -1, 2, 51),
);
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 4 }), leaf);
const action = fc.record({
  id: fc.oneof(fc.constantFrom("a", "b", "c"), weird),
  features: fc.oneof(anyJson, fc.constant([{ t: "x" }])),
});
const validish: Record<string, fc.Arbitrary<unknown>> = {
  actions: fc.oneof(fc.array(action, { maxLength: 60 }), anyJson),
  excludedActions: fc.oneof(fc.array(fc.constantFrom("a", "b", "c", "z"), { maxLength: 4 }), anyJson),
  slots: fc.oneof(
    fc.array(
      fc.record({
        id: weird,
        baselineAction: fc.constantFrom("a", "b", "c", "z"),
        excludedActions: fc.oneof(fc.constant(["c"]), anyJson),
      }),
      { maxLength: 5 },
    ),
    anyJson,
  ),
  reward: fc.oneof(fc.array(fc.record({ slotId: weird, value: leaf }), { maxLength: 3 }), anyJson),
};
const bodyArb = fc.dictionary(
  fc.constantFrom(...FIELDS),
  fc.constantFrom(...FIELDS).chain((f) => validish[f] ?? anyJson),
  { maxKeys: 8 },
);
const body = fc.oneof(
  { weight: 6, arbitrary: bodyArb.map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v) ?? "null") },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);
const pathParam = fc.oneof(
  weird.map((s) => encodeURIComponent(s)),
  fc.constantFrom("e1", "%zz", "x".repeat(400)),
);
const query = fc.oneof(
  fc.constant(""),
  fc.record({ startDate: weird, endDate: weird, aggregationInterval: weird }).map((q) => `?${new URLSearchParams(q)}`),
);

describe("Personalizer routes under random input", () => {
  let server: LoopServer;
  let key: string;
  before(async () => {
    server = await startLoopServer();
    key = (await server.createLoop("fuzz")).key;
  });
  after(() => server.close());

  it("never answer 5xx, and every error is Personalizer-shaped", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...VERSIONS),
        fc.constantFrom(...ROUTES),
        pathParam,
        body,
        query,
        fc.constantFrom("key", "key", "key", "none", "bad"),
        async (version, route, p, payload, q, who) => {
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (who === "key") headers["ocp-apim-subscription-key"] = key;
          if (who === "bad") headers["ocp-apim-subscription-key"] = "bdt_nope";
          const url = `/personalizer/${version}${route.path.replace("{eventId}", p)}${q}`;
          const res = await server.app.inject({
            method: route.method,
            url,
            headers,
            ...(route.method === "GET" ? {} : { payload }),
          });
          const label = `${route.method} ${url} ${payload.slice(0, 200)}`;
          assert.ok(res.statusCode < 500, `${label} → ${res.statusCode} ${res.body.slice(0, 300)}`);
          if (res.statusCode >= 400) {
            const parsed = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
            assert.match(String(parsed.error?.code), /^[A-Z][A-Za-z]+$/, `${label} → ${res.body.slice(0, 300)}`);
            assert.equal(typeof parsed.error?.message, "string", label);
          }
        },
      ),
      { numRuns: 400, seed: 4242 },
    );
  });
});

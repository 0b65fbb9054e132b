import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BanditryError, isBanditryError } from "../../src/domain/errors.js";
import type { Experiment } from "../../src/domain/experiment.js";
import { loopEventId, multiSlotEventId, multiSlotEventPrefix } from "../../src/personalizer/loop-event-id.js";
import { LOOP_LINEAR_DEFAULTS, loopLinearOptions } from "../../src/personalizer/loop-linear-options.js";
import { defaultLoopMetadata } from "../../src/personalizer/loop-metadata.js";
import { formatDuration, parseDuration } from "../../src/personalizer/personalizer-duration.js";
import { personalizerErrorReply } from "../../src/personalizer/personalizer-errors.js";
import { parsePolicyArguments } from "../../src/personalizer/policy-arguments.js";
import { serviceConfigurationOf } from "../../src/personalizer/service-configuration-of.js";
import { serviceConfigurationUpdate } from "../../src/personalizer/service-configuration-update.js";

function rejectsField(fn: () => unknown, field: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isBanditryError(e), `expected a BanditryError, got ${String(e)}`);
    assert.equal(e.code, "BANDITRY_VALIDATION");
    assert.equal(e.field, field);
    return true;
  });
}

function loop(overrides: Partial<Experiment> = {}): Experiment {
  return {
    id: "news",
    name: "news",
    status: "active",
    arms: [],
    createdAt: Date.parse("2026-01-01T00:00:00Z"),
    updatedAt: 0,
    reward: "gaussian",
    policy: "thompson",
    policyOptions: {},
    prior: { mu: 0, kappa: 1, alpha: 1, beta: 1 },
    decayHalfLife: null,
    segmentKeys: [],
    segmentPseudoCount: 10,
    control: null,
    rewardWaitSeconds: 600,
    defaultReward: 0,
    rewardAggregation: "earliest",
    context: "linear",
    linear: {},
    explorationShare: 0.2,
    learningMode: "online",
    metadata: { personalizer: defaultLoopMetadata(Date.parse("2026-01-01T00:00:00Z")) },
    ...overrides,
  };
}

describe("durations", () => {
  it("reads ISO-8601 and TimeSpan forms", () => {
    const cases: [string, number][] = [
      ["PT10M", 600],
      ["P1DT2H", 93_600],
      ["PT5S", 5],
      ["PT0.5S", 0.5],
      ["P2D", 172_800],
      ["P1W", 604_800],
      ["pt1h30m", 5400],
      ["00:10:00", 600],
      ["1.02:00:00", 93_600],
      ["00:00:05.5", 5.5],
      ["2:03", 7380],
    ];
    for (const [text, seconds] of cases) assert.equal(parseDuration(text, "d"), seconds, text);
  });

  it("refuses what is neither, naming the field", () => {
    for (const bad of ["", "P", "PT", "10M", "P1Y", "00:61:00", "25:00:00", "-00:10:00", "abc", 5, null]) {
      rejectsField(() => parseDuration(bad, "rewardWaitTime"), "rewardWaitTime");
    }
  });

  it("writes both styles and round-trips", () => {
    assert.equal(formatDuration(600, "iso"), "PT10M");
    assert.equal(formatDuration(93_600, "iso"), "P1DT2H");
    assert.equal(formatDuration(0, "iso"), "PT0S");
    assert.equal(formatDuration(600, "timespan"), "00:10:00");
    assert.equal(formatDuration(93_600, "timespan"), "1.02:00:00");
    assert.equal(formatDuration(5.5, "timespan"), "00:00:05.5000000");
    for (const s of [5, 59, 600, 3661, 86_400, 93_784, 172_800, 0.25]) {
      assert.equal(parseDuration(formatDuration(s, "iso"), "d"), s, `iso ${s}`);
      assert.equal(parseDuration(formatDuration(s, "timespan"), "d"), s, `timespan ${s}`);
    }
  });
});

describe("policy arguments", () => {
  it("reads the flags that map to linear options and keeps the rest verbatim", () => {
    const p = parsePolicyArguments("--cb_explore_adf --epsilon 0.2 -q :: --l2 2 -b 8 --cb_type mtr --draws=300");
    assert.deepEqual(p.linear, { interactions: true, lambda: 2, dimension: 256, draws: 300 });
    assert.deepEqual(p.read, ["-q", "--l2", "-b", "--draws"]);
    assert.deepEqual(p.ignored, ["--cb_explore_adf", "--epsilon", "--cb_type"]);
    assert.equal(parsePolicyArguments("-b 30").linear.dimension, 1024, "bits clamp to 1024");
    assert.equal(parsePolicyArguments("--cb_explore_adf").linear.interactions, false, "no -q: no interactions");
  });

  it("refuses a bad value of a read flag", () => {
    rejectsField(() => parsePolicyArguments("--l2 abc"), "arguments");
    rejectsField(() => parsePolicyArguments("-b"), "arguments");
    rejectsField(() => parsePolicyArguments("--dimension 0"), "arguments");
    rejectsField(() => parsePolicyArguments(42), "arguments");
  });

  it("sets every option explicitly, so a flag left out of a new policy resets its option", () => {
    const options = loopLinearOptions("--lambda 3");
    assert.deepEqual(Object.keys(options).sort(), Object.keys(LOOP_LINEAR_DEFAULTS).sort());
    assert.equal(options.lambda, 3);
    assert.equal(loopLinearOptions("").lambda, LOOP_LINEAR_DEFAULTS.lambda);
  });
});

describe("service configuration", () => {
  it("maps a Personalizer configuration onto the experiment and back", () => {
    const now = Date.parse("2026-02-01T00:00:00Z");
    const update = serviceConfigurationUpdate(
      {
        rewardWaitTime: "PT5M",
        defaultReward: -0.5,
        rewardAggregation: "Sum",
        explorationPercentage: 0.1,
        modelExportFrequency: "00:01:00",
        logRetentionDays: 30,
        learningMode: "Apprentice",
        isInferenceExplainabilityEnabled: true,
        unknownField: 1,
      },
      loop(),
      now,
    );
    assert.equal(update.rewardWaitSeconds, 300);
    assert.equal(update.defaultReward, -0.5);
    assert.equal(update.rewardAggregation, "sum");
    assert.equal(update.explorationShare, 0.1);
    assert.equal(update.learningMode, "apprentice");
    const after = loop({ ...(update as Partial<Experiment>) });
    const iso = serviceConfigurationOf(after, "iso");
    assert.equal(iso.rewardWaitTime, "PT5M");
    assert.equal(iso.modelExportFrequency, "PT1M");
    assert.equal(iso.learningMode, "Apprentice");
    assert.equal(iso.isInferenceExplainabilityEnabled, true);
    assert.equal(iso.logRetentionDays, 30);
    assert.equal(iso.lastConfigurationEditDate, "2026-02-01T00:00:00.000Z");
    assert.equal(serviceConfigurationOf(after, "timespan").rewardWaitTime, "00:05:00");
  });

  it("refuses bad fields, naming them", () => {
    const good = {
      rewardWaitTime: "PT10M",
      defaultReward: 0,
      rewardAggregation: "earliest",
      explorationPercentage: 0.2,
      modelExportFrequency: "PT5M",
      logRetentionDays: 7,
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ rewardWaitTime: "PT1S" }, "rewardWaitTime"],
      [{ rewardWaitTime: "P3D" }, "rewardWaitTime"],
      [{ defaultReward: 2 }, "defaultReward"],
      [{ rewardAggregation: "average" }, "rewardAggregation"],
      [{ explorationPercentage: 1.5 }, "explorationPercentage"],
      [{ logRetentionDays: 1.5 }, "logRetentionDays"],
      [{ learningMode: "Offline" }, "learningMode"],
      [{ modelExportFrequency: undefined }, "modelExportFrequency"],
    ];
    for (const [patch, field] of cases) {
      rejectsField(() => serviceConfigurationUpdate({ ...good, ...patch }, loop(), 0), field);
    }
  });
});

describe("errors and event ids", () => {
  it("maps banditry codes to Personalizer codes and statuses, hiding 5xx internals", () => {
    const v = personalizerErrorReply(
      new BanditryError("BANDITRY_VALIDATION", "actions bad", { field: "actions" }),
      "InvalidRankRequest",
    );
    assert.deepEqual(v, {
      status: 400,
      body: {
        error: {
          code: "InvalidRankRequest",
          message: "actions bad",
          target: "actions",
          innerError: { code: "BANDITRY_VALIDATION" },
        },
      },
      internal: false,
    });
    const nf = personalizerErrorReply(new BanditryError("BANDITRY_EVENT_NOT_FOUND", "no"), "InvalidEventIdToActivate");
    assert.deepEqual([nf.status, nf.body.error.code], [404, "InvalidEventIdToActivate"]);
    const big = personalizerErrorReply({ code: "FST_ERR_CTP_BODY_TOO_LARGE", statusCode: 413 }, "InvalidRankRequest");
    assert.deepEqual([big.status, big.body.error.code], [413, "PayloadSizeExceeded"]);
    const crash = personalizerErrorReply(new Error("secret detail"), "InvalidRankRequest");
    assert.equal(crash.status, 500);
    assert.ok(!JSON.stringify(crash.body).includes("secret"), "a 5xx hides its message");
  });

  it("namespaces event ids per loop and slot, within the engine's 256 characters", () => {
    assert.equal(loopEventId("news", "e1"), "news/e1");
    assert.notEqual(loopEventId("news", "e1"), loopEventId("sports", "e1"));
    const long = "x".repeat(256);
    assert.ok(loopEventId("news", long).length <= 256, "hashed when long");
    assert.notEqual(loopEventId("news", long), loopEventId("news", `${long.slice(1)}y`));
    const id = multiSlotEventId("news", "e1", "Main/Top");
    assert.ok(id.startsWith(multiSlotEventPrefix("news", "e1")), "a slot id starts with its event's prefix");
    assert.ok(!id.slice(multiSlotEventPrefix("news", "e1").length).includes("/"), "no / after the prefix");
    const longSlot = multiSlotEventId("news", long, long);
    assert.ok(longSlot.length <= 256 && longSlot.startsWith(multiSlotEventPrefix("news", long)), "long ids hash");
    assert.notEqual(multiSlotEventId("news", "e1", "A"), loopEventId("news", "e1/A"));
  });
});

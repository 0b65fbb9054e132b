/**
 * What a linear decision's logged features cost the SQLite store: process CPU per decision (the
 * commit on this thread and the checkpoint thread) and bytes per decision in the database file,
 * through EventStore.commit in group commits of 14 decisions (a rank bench's typical group), for
 * the rank benchmark's features (10 actions × 20 features, bench/helpers/rank-body.ts):
 * - inline: the whole features text in the decision row (a decision without featureSpans, as
 *   every rank was logged before feature_texts);
 * - stored once: as a rank logs them now, each action's features referred to by the digest
 *   the rank brings (Decision.featureDigests, FeatureTextLog), the context inline;
 * - none: a decision without features (the floor).
 * Stores interleaved, medians.
 *   npx tsx bench/decision-row-size.ts [--rounds=40]
 */
import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Decision, DecisionFeatures } from "../src/domain/decision.js";
import { FeatureTextDigests } from "../src/domain/feature-text-digests.js";
import { decisionFeaturesText } from "../src/engine/linear/decision-features-text.js";
import { newEventId } from "../src/engine/new-event-id.js";
import { createStores } from "../src/stores/create-stores.js";
import { benchExperiment } from "./helpers/bench-experiment.js";
import { median } from "./helpers/bench-server.js";
import { flag } from "./helpers/flag.js";
import { rankBody } from "./helpers/rank-body.js";

const rounds = flag("rounds", 40);
const GROUP = 14;
const COMMITS = 50;
const variants = ["inline", "stored once", "none"] as const;

const body = JSON.parse(rankBody()) as { contextFeatures: unknown; actions: { id: string; features: unknown }[] };
const features: DecisionFeatures = { context: body.contextFeatures, actions: body.actions };
const featureSpans: number[] = [];
const actionTexts = body.actions.map((a) => JSON.stringify(a.features));
const featuresText = decisionFeaturesText(
  features,
  { context: JSON.stringify(features.context), actions: actionTexts },
  featureSpans,
);
// the digests a rank brings (its thread met the texts before)
const digests = new FeatureTextDigests();
digests.of(actionTexts, featureSpans);
const featureDigests = digests.of(actionTexts, featureSpans);

const dirs: string[] = [];
const stores = [];
for (const _ of variants) {
  const dir = await mkdtemp(join(tmpdir(), "banditry-row-size-"));
  dirs.push(dir);
  const s = await createStores({ kind: "sqlite", dataDir: dir, synchronous: "NORMAL" });
  await s.migrate();
  await s.experimentStore.create(benchExperiment("bench", 10, {}));
  stores.push(s);
}
const ranking = Array.from({ length: 10 }, (_, i) => ({ armId: `a${i}`, probability: 0.0123456789012345 + i / 100 }));
const decision = (variant: (typeof variants)[number]): Decision => ({
  eventId: newEventId(),
  experimentId: "bench",
  segment: "*",
  context: null,
  unitId: null,
  armId: "a3",
  ranking,
  propensity: 0.1,
  group: "bandit",
  seed: 12345,
  activated: true,
  createdAt: Date.now(),
  ...(variant === "none" ? {} : { featuresText }),
  ...(variant === "stored once" ? { featureSpans, featureDigests } : {}),
});

const perDecision = variants.map(() => [] as number[]);
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < variants.length; k++) {
    const started = process.cpuUsage();
    for (let c = 0; c < COMMITS; c++) {
      await stores[k]!.eventStore.commit({
        decisions: Array.from({ length: GROUP }, () => decision(variants[k]!)),
        rewards: [],
        activations: [],
        now: Date.now(),
        rewardWaitMs: {},
      });
    }
    const used = process.cpuUsage(started);
    if (round >= 5) perDecision[k]!.push((used.user + used.system) / (COMMITS * GROUP)); // the first rounds warm up
  }
}
console.log(
  `decision row size — ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}, SQLite NORMAL, ` +
    `${rounds} rounds of ${COMMITS} commits × ${GROUP} decisions per store (medians); ` +
    `the rank bench's features: ${featuresText.length} B as one text`,
);
const decisions = rounds * COMMITS * GROUP;
for (const s of stores) await s.close();
variants.forEach((variant, k) => {
  // the closed store's file: WAL checkpointed into it
  const bytes = statSync(join(dirs[k]!, "banditry.sqlite")).size;
  console.log(
    `  features ${variant.padEnd(12)} ${median(perDecision[k]!).toFixed(1).padStart(5)} µs CPU per decision ` +
      `(fastest round ${Math.min(...perDecision[k]!).toFixed(1)})` +
      `   ${Math.round(bytes / decisions)
        .toLocaleString("en-US")
        .padStart(5)} B per decision in the database file`,
  );
});
for (const d of dirs) await rm(d, { recursive: true, force: true });

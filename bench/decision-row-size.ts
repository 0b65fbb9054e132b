/**
 * What the size of a linear decision's logged features costs the SQLite store: process CPU per
 * decision (the commit on this thread and the checkpoint thread) through EventStore.commit in
 * group commits of 14 decisions (a rank bench's typical group), for features texts of 1,900
 * bytes (a rank of 10 actions × 20 features, as logged today), 600 bytes (the same with each
 * action's features stored once elsewhere and referenced) and none. Stores interleaved, medians.
 *   npx tsx bench/decision-row-size.ts [--rounds=40]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Decision } from "../src/domain/decision.js";
import { newEventId } from "../src/engine/new-event-id.js";
import { createStores } from "../src/stores/create-stores.js";
import { benchExperiment } from "./helpers/bench-experiment.js";
import { median } from "./helpers/bench-server.js";
import { flag } from "./helpers/flag.js";

const rounds = flag("rounds", 40);
const GROUP = 14;
const COMMITS = 50;
const sizes = [1900, 600, 0];

const dirs: string[] = [];
const stores = [];
for (const _ of sizes) {
  const dir = await mkdtemp(join(tmpdir(), "banditry-row-size-"));
  dirs.push(dir);
  const s = await createStores({ kind: "sqlite", dataDir: dir, synchronous: "NORMAL" });
  await s.migrate();
  await s.experimentStore.create(benchExperiment("bench", 10, {}));
  stores.push(s);
}
const ranking = Array.from({ length: 10 }, (_, i) => ({ armId: `a${i}`, probability: 0.0123456789012345 + i / 100 }));
const decision = (featuresText: string): Decision => ({
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
  ...(featuresText === "" ? {} : { featuresText }),
});

const perDecision = sizes.map(() => [] as number[]);
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < sizes.length; k++) {
    const size = sizes[k]!;
    const text = size === 0 ? "" : `{"context":{"a":1},"actions":"${"x".repeat(size - 32)}"}`;
    const started = process.cpuUsage();
    for (let c = 0; c < COMMITS; c++) {
      await stores[k]!.eventStore.commit({
        decisions: Array.from({ length: GROUP }, () => decision(text)),
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
    `${rounds} rounds of ${COMMITS} commits × ${GROUP} decisions per store (medians)`,
);
sizes.forEach((size, k) => {
  console.log(`  features ${String(size).padStart(5)} B   ${median(perDecision[k]!).toFixed(1)} µs CPU per decision`);
});
for (const s of stores) await s.close();
for (const d of dirs) await rm(d, { recursive: true, force: true });

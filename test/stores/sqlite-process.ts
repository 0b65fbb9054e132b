// One "server process" on a shared SQLite file, for sqlite-files.test.ts: migrates, creates the
// experiment and the decisions (racing the other process), then commits an earliest reward for
// every decision in the given order, and prints its outcome counts as JSON.
import { isBanditryError } from "../../src/domain/errors.js";
import { createStores } from "../../src/stores/create-stores.js";
import type { RewardOutcome } from "../../src/stores/stores.js";
import { batch, decision, experiment, rewardOp } from "./fixtures.js";

const [dataDir, order, count] = process.argv.slice(2) as [string, "forward" | "backward", string];
const n = Number(count);
const stores = await createStores({ kind: "sqlite", dataDir, synchronous: "NORMAL" });
await stores.migrate();
try {
  await stores.experimentStore.create(experiment("shared"));
} catch (error) {
  if (!isBanditryError(error) || error.code !== "BANDITRY_EXPERIMENT_EXISTS") throw error;
}
const decisions = Array.from({ length: n }, (_, i) => decision(`ev-${i}`, "shared", { segment: `s${i % 3}` }));
const { decisionsInserted } = await stores.eventStore.commit(batch({ decisions }));
const ops = decisions.map((d, i) => rewardOp(d, i % 2, { evidence: { n: 1, s1: i % 2, s2: 0.25 } }));
if (order === "backward") ops.reverse();
const outcomes: RewardOutcome[] = [];
for (let k = 0; k < ops.length; k += 25) {
  outcomes.push(...(await stores.eventStore.commit(batch({ rewards: ops.slice(k, k + 25) }))).rewardOutcomes);
}
await stores.close();
console.log(
  JSON.stringify({
    inserted: decisionsInserted.filter(Boolean).length,
    applied: outcomes.filter((o) => o === "applied").length,
    duplicate: outcomes.filter((o) => o === "duplicate").length,
  }),
);

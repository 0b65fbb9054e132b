import { sqliteStores } from "../helpers/sqlite.js";
import { runAdsStoreContract } from "./ads-store-contract.js";
import { runStoreContract } from "./contract.js";
import { runEvaluationStoreContract } from "./evaluation-store-contract.js";
import { runLoopStoreContract } from "./loop-store-contract.js";

const harness = sqliteStores();
runStoreContract({
  name: "sqlite",
  create: harness.create,
  peerSkip:
    "SQLite: better-sqlite3 is synchronous, so a second connection in the same process would block the " +
    "event loop in its busy wait while the first waits for it; two processes are covered in sqlite-files.test.ts",
  cleanup: harness.cleanup,
});

const adsHarness = sqliteStores();
runAdsStoreContract({
  name: "sqlite",
  create: adsHarness.create,
  peerSkip: "SQLite: a second connection in this process would block the event loop (the lease is one atomic upsert)",
  cleanup: adsHarness.cleanup,
});

const loopHarness = sqliteStores();
runLoopStoreContract({ name: "sqlite", create: loopHarness.create, cleanup: loopHarness.cleanup });

const evaluationHarness = sqliteStores();
runEvaluationStoreContract({ name: "sqlite", create: evaluationHarness.create, cleanup: evaluationHarness.cleanup });

import { sqliteStores } from "../helpers/sqlite.js";
import { runStoreContract } from "./contract.js";

const harness = sqliteStores();
runStoreContract({
  name: "sqlite",
  create: harness.create,
  peerSkip:
    "SQLite: better-sqlite3 is synchronous, so a second connection in the same process would block the " +
    "event loop in its busy wait while the first waits for it; two processes are covered in sqlite-files.test.ts",
  cleanup: harness.cleanup,
});

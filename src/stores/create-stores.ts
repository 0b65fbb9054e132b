import type { Kysely } from "kysely";
import type { Database } from "./database.js";
import { FeatureTextLog } from "./feature-text-log.js";
import { KyselyAdsStore } from "./kysely-ads-store.js";
import { KyselyEvaluationStore } from "./kysely-evaluation-store.js";
import { KyselyEventStore } from "./kysely-event-store.js";
import { KyselyExperimentStore } from "./kysely-experiment-store.js";
import { KyselyKeyStore } from "./kysely-key-store.js";
import { KyselyLinearStore } from "./kysely-linear-store.js";
import { KyselyLoopStore } from "./kysely-loop-store.js";
import { migrateToLatest } from "./migrate-to-latest.js";
import { openPostgres } from "./postgres/open-postgres.js";
import { postgresDialect, type SqlDialect, sqliteDialect } from "./sql-dialect.js";
import { openSqlite } from "./sqlite/open-sqlite.js";
import { createSqliteWorkerStores } from "./sqlite-worker/create-sqlite-worker-stores.js";
import type { Stores } from "./stores.js";

export type StoresOptions =
  | {
      kind: "sqlite";
      /** The database is `<dataDir>/banditry.sqlite`; the directory is created when missing. */
      dataDir: string;
      /** FULL (default): durable across power loss; NORMAL: across process crashes (see open-sqlite.ts). */
      synchronous?: "NORMAL" | "FULL";
      /**
       * Run the connection in a worker thread (sqlite-worker/): the synchronous SQLite calls,
       * the COMMIT's fsync included, then no longer block this thread's event loop.
       */
      worker?: boolean;
      /** Checkpoints in a thread of their own (sqlite/sqlite-checkpointer.ts); default false. */
      backgroundCheckpoints?: boolean;
    }
  | { kind: "postgres"; url: string; poolSize?: number };

/** Opens the stores; the schema is applied by `stores.migrate()`, not here. */
export async function createStores(options: StoresOptions): Promise<Stores> {
  if (options.kind === "sqlite") {
    if (options.worker === true) {
      return createSqliteWorkerStores({
        dataDir: options.dataDir,
        synchronous: options.synchronous,
        backgroundCheckpoints: options.backgroundCheckpoints,
      });
    }
    const db = await openSqlite({
      dataDir: options.dataDir,
      synchronous: options.synchronous,
      backgroundCheckpoints: options.backgroundCheckpoints,
    });
    return kyselyStores(db, sqliteDialect);
  }
  const db = openPostgres({ url: options.url, poolSize: options.poolSize });
  return kyselyStores(db, postgresDialect);
}

function kyselyStores(db: Kysely<Database>, dialect: SqlDialect): Stores {
  let closed: Promise<void> | undefined;
  const featureTexts = new FeatureTextLog();
  return {
    dialect: dialect.kind,
    experimentStore: new KyselyExperimentStore(db, dialect),
    eventStore: new KyselyEventStore(db, dialect, featureTexts),
    keyStore: new KyselyKeyStore(db),
    loopStore: new KyselyLoopStore(db, dialect),
    linearStore: new KyselyLinearStore(db, dialect, featureTexts),
    evaluationStore: new KyselyEvaluationStore(db, dialect),
    adsStore: new KyselyAdsStore(db, dialect),
    migrate: () => migrateToLatest(db, dialect.kind),
    close: () => {
      closed ??= db.destroy();
      return closed;
    },
  };
}

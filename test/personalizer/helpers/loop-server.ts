import { loadConfig } from "../../../src/config.js";
import { type ServerHandle, startServer } from "../../../src/server.js";
import { createTestDatabase } from "../../helpers/postgres.js";
import { tempDataDir } from "../../helpers/sqlite.js";

export interface LoopServer {
  /** The Fastify app, for inject(). */
  app: ServerHandle["app"];
  /** The server's URL: the endpoint the Personalizer clients get. */
  url: string;
  adminKey: string;
  /** Creates a loop through POST /v1/loops; returns its id and bound key. */
  createLoop(id: string): Promise<{ id: string; key: string }>;
  close(): Promise<void>;
}

/**
 * A real banditry server listening on port 0: SQLite in a temporary directory, or a cloned
 * PostgreSQL database. Personalizer clients talk to it over HTTP like to Azure.
 */
export async function startLoopServer(options: { postgres?: boolean } = {}): Promise<LoopServer> {
  let cleanup: () => Promise<void>;
  let handle: ServerHandle;
  if (options.postgres) {
    const db = await createTestDatabase();
    cleanup = db.drop;
    handle = await startServer(
      loadConfig({ port: 0, host: "127.0.0.1", databaseUrl: db.url, logLevel: "silent" }, {}),
      {
        handleSignals: false,
        print: () => {},
      },
    );
  } else {
    const tmp = await tempDataDir();
    cleanup = tmp.remove;
    handle = await startServer(
      loadConfig(
        {
          port: 0,
          host: "127.0.0.1",
          dataDir: tmp.dir,
          databaseUrl: null,
          sqliteSynchronous: "NORMAL",
          logLevel: "silent",
        },
        {},
      ),
      { handleSignals: false, print: () => {} },
    );
  }
  const adminKey = handle.initialAdminKey!;
  return {
    app: handle.app,
    url: handle.url,
    adminKey,
    async createLoop(id) {
      const res = await fetch(`${handle.url}/v1/loops`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({ id, name: `loop ${id}` }),
      });
      if (res.status !== 201) throw new Error(`POST /v1/loops answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { loop: { id: string }; secret: string };
      return { id: body.loop.id, key: body.secret };
    },
    async close() {
      await handle.close();
      await cleanup();
    },
  };
}

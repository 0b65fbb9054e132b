import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { createKeyService, type KeyService } from "../../../src/auth/key-service.js";
import { createEngine, type Engine } from "../../../src/engine/engine.js";
import { type AppOptions, buildApp } from "../../../src/http/build-app.js";
import { createMetrics, type Metrics } from "../../../src/http/metrics.js";
import { createStores } from "../../../src/stores/create-stores.js";
import type { Stores } from "../../../src/stores/stores.js";

export interface TestApp {
  app: FastifyInstance;
  engine: Engine;
  stores: Stores;
  keyService: KeyService;
  metrics: Metrics;
  /** Authorization headers of one key per scope. */
  auth: { admin: Record<string, string>; decide: Record<string, string>; read: Record<string, string> };
  close(): Promise<void>;
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** The real app on the real engine and a fresh SQLite store in a temp directory. */
export async function createTestApp(options: AppOptions = {}, logger?: FastifyBaseLogger): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "banditry-http-"));
  const stores = await createStores({ kind: "sqlite", dataDir, synchronous: "NORMAL" });
  await stores.migrate();
  const engine = createEngine({
    stores,
    options: { seed: 7, refreshIntervalMs: 0, defaultRewardIntervalMs: 0, flushIntervalMs: 1 },
  });
  await engine.start();
  const keyService = createKeyService(stores.keyStore);
  const secret = async (scope: "admin" | "decide" | "read") =>
    (await keyService.create({ name: scope, scopes: [scope] })).secret;
  const auth = {
    admin: bearer(await secret("admin")),
    decide: bearer(await secret("decide")),
    read: bearer(await secret("read")),
  };
  const metrics = createMetrics();
  const app = await buildApp(
    { service: engine, keys: keyService, metrics, ...(logger === undefined ? {} : { logger }) },
    options,
  );
  await app.ready();
  let closed = false;
  return {
    app,
    engine,
    stores,
    keyService,
    metrics,
    auth,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await engine.close().catch(() => undefined); // a test may have closed the stores under it
      await stores.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A bernoulli experiment with arms a, b, c (b has a JSON value). */
export function experimentBody(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    reward: "bernoulli",
    arms: [{ id: "a" }, { id: "b", label: "B", value: { multiplier: 1.2 } }, { id: "c" }],
    ...extra,
  };
}

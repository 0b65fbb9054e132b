import type { FastifyInstance } from "fastify";
import { type Logger, pino } from "pino";
import { AdsScheduler } from "./apps/ads/service/ads-scheduler.js";
import { configuredAdsConnection } from "./apps/ads/service/configured-ads-connection.js";
import { createAdsService } from "./apps/ads/service/create-ads-service.js";
import { createKeyService } from "./auth/key-service.js";
import type { Config } from "./config.js";
import { createEngine } from "./engine/engine.js";
import { createEvaluationService } from "./evaluation/create-evaluation-service.js";
import { buildApp } from "./http/build-app.js";
import { createMetrics } from "./http/metrics.js";
import { createStores } from "./stores/create-stores.js";
import { tuneV8ForServing } from "./tune-v8-for-serving.js";

export interface ServerHandle {
  app: FastifyInstance;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /** The admin key created on this first start (also printed once), else null. */
  initialAdminKey: string | null;
  /** Stops accepting, lets in-flight requests finish, flushes the engine, closes the stores. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Close on SIGTERM/SIGINT and exit (default true; tests pass false). */
  handleSignals?: boolean;
  /** Where the URL and the first admin key are printed (default stdout). */
  print?: (line: string) => void;
  logger?: Logger;
}

/** The composition root: stores → engine → keys → HTTP app, listening. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<ServerHandle> {
  tuneV8ForServing();
  const print = options.print ?? ((line: string) => process.stdout.write(line + "\n"));
  const logger = options.logger ?? pino({ level: config.logLevel });
  const stores = await createStores(
    config.databaseUrl === null
      ? {
          kind: "sqlite",
          dataDir: config.dataDir,
          synchronous: config.sqliteSynchronous,
          worker: config.sqliteWorker,
          backgroundCheckpoints: config.sqliteBackgroundCheckpoints,
        }
      : { kind: "postgres", url: config.databaseUrl },
  );
  let engine: ReturnType<typeof createEngine> | undefined;
  let app: FastifyInstance | undefined;
  let scheduler: AdsScheduler | undefined;
  try {
    await stores.migrate();
    const metrics = createMetrics({ defaultMetrics: true });
    engine = createEngine({
      stores,
      options: {
        flushIntervalMs: config.flushIntervalMs,
        maxBatch: config.maxBatch,
        refreshIntervalMs: config.refreshIntervalMs,
        linearDraws: config.linearDraws,
        linear: {
          policy: config.linearPolicy,
          poolRefreshMs: config.linearPoolRefreshMs,
          poolRefreshRewards: config.linearPoolRefreshRewards,
        },
      },
      onBackgroundError: (err, task) => logger.error({ err, task }, "background task failed"),
      onCommit: (events, seconds) => metrics.observeCommit(events, seconds),
    });
    await engine.start();

    const keys = createKeyService(stores.keyStore, { cacheTtlMs: config.keyCacheTtlMs });
    let initialAdminKey: string | null = null;
    if ((await keys.count()) === 0) {
      initialAdminKey = (await keys.create({ name: "initial admin", scopes: ["admin"] })).secret;
    }

    const evaluations = createEvaluationService({
      stores,
      onBackgroundError: (err, task) => logger.error({ err, task }, "evaluation failed"),
    });
    metrics.trackEngine(engine);
    const ads = createAdsService(stores, engine, configuredAdsConnection(config));
    if (config.adsSchedulerIntervalMs > 0) {
      scheduler = new AdsScheduler({
        service: ads,
        intervalMs: config.adsSchedulerIntervalMs,
        onError: (err, schedule) => logger.error({ err, scheduleId: schedule?.id }, "ads schedule run failed"),
      });
    }
    app = await buildApp(
      { service: engine, keys, metrics, logger, ads, loopStore: stores.loopStore, evaluations },
      { bodyLimit: config.bodyLimit, requestLogging: config.requestLogging, rankThread: config.rankThread },
    );
    const url = await app.listen({ port: config.port, host: config.host });
    scheduler?.start();
    print(`banditry listening on ${url} (API docs: ${url}/docs, store: ${stores.dialect})`);
    if (initialAdminKey !== null) {
      print("");
      print("Created the first admin API key. It is shown only this once; store it now:");
      print(`  ${initialAdminKey}`);
      print("Send it as: Authorization: Bearer <key>");
      print("");
    }

    const running = { app, engine };
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        if (options.handleSignals ?? true) {
          process.off("SIGTERM", onSignal);
          process.off("SIGINT", onSignal);
        }
        try {
          await scheduler?.stop().catch((err: unknown) => logger.error({ err }, "ads scheduler stop failed"));
          await running.app.close(); // stop accepting; in-flight requests finish (their commits included)
          await evaluations.close(); // runs in progress stop (marked failed)
          await running.engine.close(); // flush whatever is still queued
        } finally {
          await stores.close();
        }
      })();
      return closing;
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (closing !== undefined) {
        logger.warn({ signal }, "second signal: exiting without waiting");
        process.exit(1);
      }
      logger.info({ signal }, "shutting down");
      close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
    };
    if (options.handleSignals ?? true) {
      process.on("SIGTERM", onSignal);
      process.on("SIGINT", onSignal);
    }
    return { app, url, initialAdminKey, close };
  } catch (e) {
    await app?.close().catch(() => undefined);
    await engine?.close().catch(() => undefined);
    await stores.close();
    throw e;
  }
}

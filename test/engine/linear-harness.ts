import { createEngine, type Engine, type EngineDeps } from "../../src/engine/engine.js";
import type { Stores } from "../../src/stores/stores.js";
import { postgresStores, postgresUnavailable } from "../helpers/postgres.js";
import { sqliteStores } from "../helpers/sqlite.js";

export interface StoreKind {
  name: "sqlite" | "postgres";
  skip: string | false;
  create(): Promise<Stores>;
  cleanup(): Promise<void>;
}

/** Real SQLite and real PostgreSQL (skipped with a reason only outside CI when it is unreachable). */
export async function storeKinds(): Promise<StoreKind[]> {
  const unavailable = await postgresUnavailable();
  const sqlite = sqliteStores();
  const postgres = postgresStores();
  return [
    { name: "sqlite", skip: false, create: sqlite.create, cleanup: sqlite.cleanup },
    { name: "postgres", skip: unavailable ?? false, create: postgres.create, cleanup: postgres.cleanup },
  ];
}

export type LinearTestEngine = Engine & { clock: { t: number } };

/** A started engine on the stores with a test clock, no timers (tests call refresh). */
export async function startEngine(stores: Stores, options: EngineDeps["options"] = {}): Promise<LinearTestEngine> {
  const clock = { t: 1_700_000_000_000 };
  const engine = createEngine({
    stores,
    now: () => clock.t,
    options: { seed: 7, refreshIntervalMs: 0, defaultRewardIntervalMs: 0, flushIntervalMs: 1, ...options },
    onBackgroundError: (e) => {
      throw e;
    },
  });
  await engine.start();
  return Object.assign(engine, { clock });
}

let counter = 0;
export function linearId(prefix = "lin"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Waits until the engine's linear model has learned `n` rewards (it tails the log after each commit). */
export async function learnedAtLeast(engine: Engine, experimentId: string, n: number, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const e = await engine.exportModel(experimentId);
    if (e.learnedRewards >= n - 1e-9) return e;
    if (Date.now() > until) throw new Error(`learned ${e.learnedRewards} of ${n} rewards in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

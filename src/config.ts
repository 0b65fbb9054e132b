import { BanditryError } from "./domain/errors.js";

/**
 * The one place in src/ that reads process.env. Everything else receives a validated Config.
 * Precedence: explicit overrides (from argv) > environment > defaults.
 */

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  port: number;
  host: string;
  /** Directory of the embedded SQLite database (used when databaseUrl is null). */
  dataDir: string;
  /** PostgreSQL connection string; null = embedded SQLite. */
  databaseUrl: string | null;
  /**
   * SQLite durability. NORMAL (default): an acknowledged write survives any process crash
   * (kill -9 included); only an OS crash or power loss can lose the last group commits. FULL:
   * it also survives power loss (one fsync per group commit, slower).
   */
  sqliteSynchronous: "FULL" | "NORMAL";
  /** SQLite's connection in a worker thread, so its commits and fsyncs do not block HTTP. */
  sqliteWorker: boolean;
  /**
   * SQLite checkpoints (the WAL copied back into the database file) in a thread of their own
   * (default) instead of inside the group commit that crosses SQLite's threshold: that commit
   * took 60–90 ms, which every request in it waited (decide p99.9 63–65 → 15–18 ms).
   */
  sqliteBackgroundCheckpoints: boolean;
  /**
   * Personalizer ranks parsed, checked and decided on a thread of their own (default), so the
   * main thread keeps HTTP and the log: 26–48% less main-thread CPU per rank. On 2 cores shared
   * with the load generator, ranks/s changed by −2% to +35% over four runs (the thread adds
   * CPU in all); bench/personalizer-rank.ts shows both side by side.
   */
  rankThread: boolean;
  logLevel: LogLevel;
  /** Fastify's per-request log lines (off by default: they cost on the hot path). */
  requestLogging: boolean;
  /** How often each instance reloads posteriors and experiments changed by others (ms). */
  refreshIntervalMs: number;
  /** How long the first queued event waits for company before a group commit (ms). */
  flushIntervalMs: number;
  /** A group commit this large is written at once. */
  maxBatch: number;
  /** Largest accepted request body (bytes). */
  bodyLimit: number;
  /** How long a verified API key stays cached; bounds how late a revocation is seen (ms). */
  keyCacheTtlMs: number;
  /** Amazon Ads: the Login with Amazon application (null: the ads routes answer 503 on calls to Amazon). */
  amazonAdsClientId: string | null;
  amazonAdsClientSecret: string | null;
  /** The advertiser's LWA refresh token (profiles may carry their own). */
  amazonAdsRefreshToken: string | null;
  amazonAdsRegion: "NA" | "EU" | "FE";
  /** Override the region's API and LWA token URLs (e.g. a local Amazon Ads server). */
  amazonAdsApiBaseUrl: string | null;
  amazonAdsTokenUrl: string | null;
  /** How often the ads scheduler looks for due schedules (ms); 0 = not in this instance. */
  adsSchedulerIntervalMs: number;
  /**
   * Linear experiments: how a rank decides. "pool" (default): from the model's posterior draw
   * pool, probabilities exact for that policy; "exact": one fresh posterior draw per decision and
   * Monte Carlo probabilities (≈ 10× the CPU).
   */
  linearPolicy: "pool" | "exact";
  /** Linear experiments: a draw pool whose model learned since is redrawn once this old (ms)… */
  linearPoolRefreshMs: number;
  /** …or once its model learned this many rewards since (capped by the draw's cost, see pool-keeper.ts). */
  linearPoolRefreshRewards: number;
  /** Linear experiments under the "exact" policy: Monte Carlo draws behind a rank's probabilities (unless the experiment sets them). */
  linearDraws: number;
}

export type ConfigOverrides = Partial<Config>;

interface Spec<K extends keyof Config> {
  env: string;
  default: Config[K];
  parse: (raw: string, name: string) => Config[K];
  check?: (value: Config[K], name: string) => void;
}

function fail(name: string, message: string, raw: unknown): never {
  throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${name} ${message}, got ${JSON.stringify(raw)}`, {
    field: name,
  });
}

function int(min: number, max: number) {
  return (raw: string, name: string): number => {
    const v = Number(raw.trim());
    if (raw.trim() === "" || !Number.isInteger(v) || v < min || v > max) {
      fail(name, `must be an integer in ${min}..${max}`, raw);
    }
    return v;
  };
}

function checkInt(min: number, max: number) {
  return (v: number, name: string): void => {
    if (!Number.isInteger(v) || v < min || v > max) fail(name, `must be an integer in ${min}..${max}`, v);
  };
}

function bool(raw: string, name: string): boolean {
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  return fail(name, "must be true or false", raw);
}

function nonEmpty(raw: string, name: string): string {
  if (typeof raw !== "string" || raw.trim() === "") fail(name, "must be a non-empty string", raw);
  return raw.trim();
}

function optionalText(raw: string, name: string): string | null {
  if (typeof raw !== "string") fail(name, "must be a string", "<redacted>");
  return raw.trim() === "" ? null : raw.trim();
}

function optionalUrl(raw: string, name: string): string | null {
  const v = optionalText(raw, name);
  if (v !== null && !/^https?:\/\/[^\s]+$/.test(v)) fail(name, "must be an http:// or https:// URL", raw);
  return v;
}

/** An on/off setting (1/0, true/false, yes/no, on/off). */
function flag(env: string, defaultValue: boolean) {
  return {
    env,
    default: defaultValue,
    parse: bool,
    check: (v: boolean, n: string) => {
      if (typeof v !== "boolean") fail(n, "must be true or false", v);
    },
  };
}

/** Secrets: never echoed in errors. */
function secret(env: string) {
  return {
    env,
    default: null,
    parse: (raw: string, name: string) => optionalText(raw, name),
    check: (v: string | null, n: string) => {
      if (v !== null && (typeof v !== "string" || v.trim() === "")) fail(n, "must be a non-empty string", "<redacted>");
    },
  };
}

const SPECS: { [K in keyof Config]: Spec<K> } = {
  port: { env: "BANDITRY_PORT", default: 8080, parse: int(0, 65535), check: checkInt(0, 65535) },
  host: { env: "BANDITRY_HOST", default: "127.0.0.1", parse: nonEmpty, check: (v, n) => void nonEmpty(v, n) },
  dataDir: { env: "BANDITRY_DATA_DIR", default: "./data", parse: nonEmpty, check: (v, n) => void nonEmpty(v, n) },
  databaseUrl: {
    env: "BANDITRY_DATABASE_URL",
    default: null,
    parse: (raw, name) => {
      if (typeof raw !== "string") fail(name, "must be a string", raw);
      const v = raw.trim();
      if (v === "") return null;
      if (!/^postgres(ql)?:\/\//.test(v)) fail(name, "must be a postgres:// or postgresql:// URL", "<redacted>");
      return v;
    },
    check: (v, n) => {
      if (v !== null) SPECS.databaseUrl.parse(v, n);
    },
  },
  sqliteSynchronous: {
    env: "BANDITRY_SQLITE_SYNCHRONOUS",
    default: "NORMAL",
    parse: (raw, name) => {
      const v = String(raw).trim().toUpperCase();
      if (v !== "FULL" && v !== "NORMAL") fail(name, "must be FULL or NORMAL", raw);
      return v;
    },
    check: (v, n) => {
      if (v !== "FULL" && v !== "NORMAL") fail(n, "must be FULL or NORMAL", v);
    },
  },
  sqliteWorker: flag("BANDITRY_SQLITE_WORKER", false),
  sqliteBackgroundCheckpoints: flag("BANDITRY_SQLITE_BACKGROUND_CHECKPOINTS", true),
  rankThread: flag("BANDITRY_RANK_THREAD", true),
  logLevel: {
    env: "BANDITRY_LOG_LEVEL",
    default: "info",
    parse: (raw, name) => {
      const v = String(raw).trim().toLowerCase();
      if (!(LOG_LEVELS as readonly string[]).includes(v)) fail(name, `must be one of ${LOG_LEVELS.join(", ")}`, raw);
      return v as LogLevel;
    },
    check: (v, n) => {
      if (!(LOG_LEVELS as readonly string[]).includes(v)) fail(n, `must be one of ${LOG_LEVELS.join(", ")}`, v);
    },
  },
  requestLogging: flag("BANDITRY_REQUEST_LOGGING", false),
  refreshIntervalMs: {
    env: "BANDITRY_REFRESH_INTERVAL_MS",
    default: 1000,
    parse: int(10, 3_600_000),
    check: checkInt(10, 3_600_000),
  },
  flushIntervalMs: {
    env: "BANDITRY_FLUSH_INTERVAL_MS",
    // 0: a batch is what one event-loop turn parsed, written at the turn's end. Under load the
    // turns (and the commit that blocks them on SQLite) grow, so batches grow by themselves; a
    // fixed wait only adds latency, and with a bounded number of clients, throughput falls with it.
    default: 0,
    parse: int(0, 10_000),
    check: checkInt(0, 10_000),
  },
  maxBatch: { env: "BANDITRY_MAX_BATCH", default: 2000, parse: int(1, 1_000_000), check: checkInt(1, 1_000_000) },
  bodyLimit: {
    env: "BANDITRY_BODY_LIMIT",
    default: 1_048_576,
    parse: int(1024, 1_073_741_824),
    check: checkInt(1024, 1_073_741_824),
  },
  keyCacheTtlMs: {
    env: "BANDITRY_KEY_CACHE_TTL_MS",
    default: 2000,
    parse: int(0, 60_000),
    check: checkInt(0, 60_000),
  },
  amazonAdsClientId: secret("BANDITRY_AMAZON_ADS_CLIENT_ID"),
  amazonAdsClientSecret: secret("BANDITRY_AMAZON_ADS_CLIENT_SECRET"),
  amazonAdsRefreshToken: secret("BANDITRY_AMAZON_ADS_REFRESH_TOKEN"),
  amazonAdsRegion: {
    env: "BANDITRY_AMAZON_ADS_REGION",
    default: "NA",
    parse: (raw, name) => {
      const v = String(raw).trim().toUpperCase();
      if (v !== "NA" && v !== "EU" && v !== "FE") fail(name, "must be NA, EU or FE", raw);
      return v;
    },
    check: (v, n) => {
      if (v !== "NA" && v !== "EU" && v !== "FE") fail(n, "must be NA, EU or FE", v);
    },
  },
  amazonAdsApiBaseUrl: {
    env: "BANDITRY_AMAZON_ADS_API_URL",
    default: null,
    parse: optionalUrl,
    check: (v, n) => {
      if (v !== null) optionalUrl(v, n);
    },
  },
  amazonAdsTokenUrl: {
    env: "BANDITRY_AMAZON_ADS_TOKEN_URL",
    default: null,
    parse: optionalUrl,
    check: (v, n) => {
      if (v !== null) optionalUrl(v, n);
    },
  },
  adsSchedulerIntervalMs: {
    env: "BANDITRY_ADS_SCHEDULER_INTERVAL_MS",
    default: 15_000,
    parse: int(0, 86_400_000),
    check: checkInt(0, 86_400_000),
  },
  linearPolicy: {
    env: "BANDITRY_LINEAR_POLICY",
    default: "pool",
    parse: (raw, name) => {
      const v = String(raw).trim().toLowerCase();
      if (v !== "pool" && v !== "exact") fail(name, "must be pool or exact", raw);
      return v;
    },
    check: (v, n) => {
      if (v !== "pool" && v !== "exact") fail(n, "must be pool or exact", v);
    },
  },
  linearPoolRefreshMs: {
    env: "BANDITRY_LINEAR_POOL_REFRESH_MS",
    default: 100,
    parse: int(1, 3_600_000),
    check: checkInt(1, 3_600_000),
  },
  linearPoolRefreshRewards: {
    env: "BANDITRY_LINEAR_POOL_REFRESH_REWARDS",
    default: 100,
    parse: int(1, 1_000_000),
    check: checkInt(1, 1_000_000),
  },
  linearDraws: {
    env: "BANDITRY_LINEAR_DRAWS",
    default: 200,
    parse: int(1, 1_000_000),
    check: checkInt(1, 1_000_000),
  },
};

/** The environment variable behind each setting, for help texts. */
export const CONFIG_ENV: { readonly [K in keyof Config]: string } = Object.fromEntries(
  Object.entries(SPECS).map(([k, s]) => [k, s.env]),
) as { [K in keyof Config]: string };

/**
 * Builds the validated configuration. Throws BANDITRY_INVALID_PARAMETER naming the variable
 * (or the override key) and the bad value.
 */
export function loadConfig(
  overrides: ConfigOverrides = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const out: Partial<Record<keyof Config, unknown>> = {};
  for (const key of Object.keys(overrides)) {
    if (!Object.hasOwn(SPECS, key)) {
      throw new BanditryError("BANDITRY_INVALID_PARAMETER", `unknown configuration setting "${key}"`, { field: key });
    }
  }
  for (const key of Object.keys(SPECS) as (keyof Config)[]) {
    const spec = SPECS[key] as Spec<keyof Config>;
    const override = overrides[key];
    if (override !== undefined) {
      spec.check?.(override, key);
      out[key] = override;
      continue;
    }
    const raw = env[spec.env];
    out[key] = raw === undefined ? spec.default : spec.parse(raw, spec.env);
  }
  return out as Config;
}

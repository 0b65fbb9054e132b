import type { Command } from "commander";
import { type Config, type ConfigOverrides, loadConfig } from "../config.js";
import { isBanditryError } from "../domain/errors.js";
import { UsageError } from "./usage-error.js";

/** The flags every command that touches the database takes. */
export interface StoreFlags {
  dataDir?: string;
  databaseUrl?: string;
}

/** Adds --data-dir and --database-url (the same resolution as `banditry serve`). */
export function addStoreOptions(cmd: Command): Command {
  return cmd
    .option("--data-dir <dir>", "directory of the embedded SQLite database (env BANDITRY_DATA_DIR, default ./data)")
    .option("--database-url <url>", "PostgreSQL URL postgres://…, used instead of SQLite (env BANDITRY_DATABASE_URL)");
}

/** Config keys set by flags, for errors from loadConfig that name the key. */
const FLAG_OF_SETTING: Partial<Record<keyof Config, string>> = {
  port: "--port",
  host: "--host",
  dataDir: "--data-dir",
  databaseUrl: "--database-url",
};

/**
 * The configuration of a command: flags > environment > defaults (loadConfig). An explicit
 * --data-dir means SQLite even when BANDITRY_DATABASE_URL is set; both flags at once is an error.
 */
export function configFromFlags(flags: StoreFlags, extra: ConfigOverrides = {}): Config {
  if (flags.dataDir !== undefined && flags.databaseUrl !== undefined) {
    throw new UsageError("--database-url", "give either --data-dir (SQLite) or --database-url (PostgreSQL), not both");
  }
  const overrides: ConfigOverrides = { ...extra };
  if (flags.dataDir !== undefined) {
    overrides.dataDir = flags.dataDir;
    overrides.databaseUrl = null;
  }
  if (flags.databaseUrl !== undefined) overrides.databaseUrl = flags.databaseUrl;
  try {
    return loadConfig(overrides);
  } catch (e) {
    const flag = isBanditryError(e) && e.field !== undefined ? FLAG_OF_SETTING[e.field as keyof Config] : undefined;
    if (flag !== undefined && e instanceof Error) {
      // the config message starts with the setting's name; the flag replaces it
      throw new UsageError(flag, e.message.replace(/^\S+\s/, ""));
    }
    throw e;
  }
}

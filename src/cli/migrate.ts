import type { Command } from "commander";
import { addStoreOptions, configFromFlags, type StoreFlags } from "./store-options.js";
import { describeStore, withStores } from "./with-stores.js";

/** `banditry migrate`: creates or upgrades the schema (serve does it too at every start). */
export function registerMigrate(program: Command): void {
  const cmd = program.command("migrate").description("Create or upgrade the database schema (idempotent)");
  addStoreOptions(cmd).action(async (flags: StoreFlags, command: Command) => {
    const config = configFromFlags(flags);
    await withStores(config, async () => undefined);
    command.configureOutput().writeOut!(`${describeStore(config)} is up to date\n`);
  });
}

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStores } from "../../src/stores/create-stores.js";
import type { Stores } from "../../src/stores/stores.js";

/** A fresh temporary data directory; remove() deletes it with everything in it. */
export async function tempDataDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "banditry-test-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Migrated SQLite stores, each in its own temporary data directory. synchronous NORMAL: tests
 * do not need to survive power loss, and it saves an fsync per commit.
 */
export function sqliteStores(): { create(): Promise<Stores>; cleanup(): Promise<void> } {
  const opened: { stores: Stores; remove(): Promise<void> }[] = [];
  return {
    async create() {
      const { dir, remove } = await tempDataDir();
      const stores = await createStores({ kind: "sqlite", dataDir: dir, synchronous: "NORMAL" });
      opened.push({ stores, remove });
      await stores.migrate();
      return stores;
    },
    async cleanup() {
      for (const { stores, remove } of opened.splice(0)) {
        await stores.close();
        await remove();
      }
    },
  };
}

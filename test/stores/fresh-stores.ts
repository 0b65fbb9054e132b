import { after, afterEach, beforeEach } from "node:test";
import type { Stores } from "../../src/stores/stores.js";
import type { StoreHarness } from "./contract.js";

/**
 * Inside a contract suite's describe: fresh Stores from the harness before each test (handed to
 * `use`), closed after it, and the harness cleaned up after the suite.
 */
export function freshStoresEachTest(harness: StoreHarness, use: (stores: Stores) => void): void {
  let stores: Stores;
  beforeEach(async () => {
    stores = await harness.create();
    use(stores);
  });
  afterEach(async () => {
    await stores.close();
  });
  after(async () => {
    await harness.cleanup();
  });
}

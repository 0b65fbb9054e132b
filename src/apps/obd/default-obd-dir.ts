import { fileURLToPath } from "node:url";

/**
 * The shared sample of the Open Bandit Dataset, `../shared/data/obd` next to the repository.
 * Resolved from this file (src/apps/obd or dist/apps/obd: both three levels below the root).
 */
export function defaultObdDir(): string {
  return fileURLToPath(new URL("../../../../shared/data/obd", import.meta.url));
}

import { readFile } from "node:fs/promises";
import { BanditryError } from "../../domain/errors.js";

/** A file of the OBD folder as text; a missing file is BANDITRY_NOT_FOUND naming the path. */
export async function readObdText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new BanditryError("BANDITRY_NOT_FOUND", `Open Bandit Dataset file not found: ${path}`, {
        field: "dir",
        cause: e,
      });
    }
    throw e;
  }
}

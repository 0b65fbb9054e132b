import { join } from "node:path";
import { BanditryError } from "../../domain/errors.js";
import type { ObdBehavior, ObdCampaign } from "./obd-names.js";
import { parseCsvLine } from "./parse-csv-line.js";
import { readObdText } from "./read-obd-text.js";

export interface ObdItemContext {
  file: string;
  columns: string[];
  /** item_id of each row; the items are 0..n−1. */
  itemIds: number[];
  /** item_feature_0 (numeric) as a number, the other item features as their hashed strings. */
  features: Record<string, (number | string)[]>;
}

/** Reads `<dir>/<behavior>/<campaign>/item_context.csv`; checks that the item ids are 0..n−1. */
export async function loadObdItemContext(
  dir: string,
  behavior: ObdBehavior,
  campaign: ObdCampaign,
): Promise<ObdItemContext> {
  const file = join(dir, behavior, campaign, "item_context.csv");
  const lines = (await readObdText(file)).split("\n").filter((l) => l.trim() !== "");
  const columns = parseCsvLine(lines[0] ?? "");
  const idCol = columns.indexOf("item_id");
  if (idCol < 0) {
    throw new BanditryError("BANDITRY_VALIDATION", `${file}:1: header has no column item_id`, { field: "item_id" });
  }
  const featureCols = columns.flatMap((c, i) => (c.startsWith("item_feature_") ? [i] : []));
  const features: Record<string, (number | string)[]> = {};
  for (const j of featureCols) features[columns[j]!] = [];
  const itemIds: number[] = [];
  for (let r = 1; r < lines.length; r++) {
    const f = parseCsvLine(lines[r]!);
    const id = Number(f[idCol]);
    if (id !== r - 1) {
      throw new BanditryError("BANDITRY_VALIDATION", `${file}:${r + 1}: item_id must be ${r - 1}, got "${f[idCol]}"`, {
        field: "item_id",
      });
    }
    itemIds.push(id);
    for (const j of featureCols) {
      const raw = f[j] ?? "";
      const v = Number(raw);
      features[columns[j]!]!.push(raw !== "" && Number.isFinite(v) ? v : raw);
    }
  }
  return { file, columns, itemIds, features };
}

import { join } from "node:path";
import { BanditryError } from "../../domain/errors.js";
import type { ObdBehavior, ObdCampaign } from "./obd-names.js";
import { parseCsvLine } from "./parse-csv-line.js";
import { readObdText } from "./read-obd-text.js";

/** One OBD log file as columns; a record is one impression (an item shown at one position). */
export interface ObdLogs {
  behavior: ObdBehavior;
  campaign: ObdCampaign;
  file: string;
  /** Header as in the file (the first, unnamed column is the row index). */
  columns: string[];
  records: number;
  timestamps: string[];
  itemIds: Int32Array;
  /** Positions as in the file: 1, 2, 3. */
  positions: Int32Array;
  clicks: Float64Array;
  /** Logging propensity of the item at its position. */
  propensities: Float64Array;
  /** user_feature_0..3 (hashed categories), one array per feature. */
  userFeatures: string[][];
  /** user-item_affinity_0..N−1, row-major: affinities[record · affinityColumns + item]. */
  affinities: Float64Array;
  affinityColumns: number;
}

const REQUIRED = ["timestamp", "item_id", "position", "click", "propensity_score"] as const;

/** Reads `<dir>/<behavior>/<campaign>/<campaign>.csv`, checking every value it keeps. */
export async function loadObdLogs(dir: string, behavior: ObdBehavior, campaign: ObdCampaign): Promise<ObdLogs> {
  const file = join(dir, behavior, campaign, `${campaign}.csv`);
  const lines = (await readObdText(file)).split("\n");
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  const columns = parseCsvLine(lines[0] ?? "");
  const col = (name: string): number => {
    const at = columns.indexOf(name);
    if (at < 0) throw bad(file, 1, name, `header has no column ${name}`);
    return at;
  };
  const [cTime, cItem, cPos, cClick, cProp] = REQUIRED.map(col) as [number, number, number, number, number];
  const featureCols = columns.flatMap((c, i) => (c.startsWith("user_feature_") ? [i] : []));
  const affinityCols = columns.flatMap((c, i) => (c.startsWith("user-item_affinity_") ? [i] : []));

  const records = lines.length - 1;
  const logs: ObdLogs = {
    behavior,
    campaign,
    file,
    columns,
    records,
    timestamps: new Array<string>(records),
    itemIds: new Int32Array(records),
    positions: new Int32Array(records),
    clicks: new Float64Array(records),
    propensities: new Float64Array(records),
    userFeatures: featureCols.map(() => new Array<string>(records)),
    affinities: new Float64Array(records * affinityCols.length),
    affinityColumns: affinityCols.length,
  };
  for (let r = 0; r < records; r++) {
    const line = r + 2; // 1-based, after the header
    const f = parseCsvLine(lines[r + 1]!);
    if (f.length !== columns.length) {
      throw bad(file, line, "columns", `expected ${columns.length} fields, got ${f.length}`);
    }
    logs.timestamps[r] = f[cTime]!;
    logs.itemIds[r] = integer(file, line, "item_id", f[cItem]!, 0);
    logs.positions[r] = integer(file, line, "position", f[cPos]!, 1);
    const click = Number(f[cClick]);
    if (!(f[cClick] !== "" && click >= 0 && Number.isFinite(click))) {
      throw bad(file, line, "click", `click must be a number >= 0, got "${f[cClick]}"`);
    }
    logs.clicks[r] = click;
    const p = Number(f[cProp]);
    if (!(p > 0 && p <= 1)) {
      throw bad(file, line, "propensity_score", `propensity_score must be in (0, 1], got "${f[cProp]}"`);
    }
    logs.propensities[r] = p;
    for (let j = 0; j < featureCols.length; j++) logs.userFeatures[j]![r] = f[featureCols[j]!]!;
    for (let j = 0; j < affinityCols.length; j++) {
      const raw = f[affinityCols[j]!]!;
      const v = Number(raw);
      if (raw === "" || !Number.isFinite(v)) {
        throw bad(file, line, columns[affinityCols[j]!]!, `affinity must be a finite number, got "${raw}"`);
      }
      logs.affinities[r * affinityCols.length + j] = v;
    }
  }
  return logs;
}

function integer(file: string, line: number, field: string, raw: string, min: number): number {
  const v = Number(raw);
  if (raw === "" || !Number.isInteger(v) || v < min) {
    throw bad(file, line, field, `${field} must be an integer >= ${min}, got "${raw}"`);
  }
  return v;
}

function bad(file: string, line: number, field: string, message: string): BanditryError {
  return new BanditryError("BANDITRY_VALIDATION", `${file}:${line}: ${message}`, { field });
}

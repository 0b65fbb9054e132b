import type { Migration } from "kysely";
import * as initial from "./0001-initial.js";

/**
 * The one migration set of both dialects, in code (no directory scan at run time, so it works
 * from src/ under tsx and from dist/ alike). Names sort in the order they run; append only.
 */
export const migrations: Record<string, Migration> = {
  "0001-initial": initial,
};

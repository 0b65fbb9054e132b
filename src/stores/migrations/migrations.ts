import type { Migration } from "kysely";
import { initialSchema } from "./0001-initial.js";
import { linearSchema } from "./0002-linear.js";
import { evaluationsSchema } from "./0003-evaluations.js";
import { adsSchema } from "./0004-ads.js";
import { featureTextsSchema } from "./0005-feature-texts.js";

/**
 * The one migration set of both dialects, in code (no directory scan at run time, so it works
 * from src/ under tsx and from dist/ alike). Names sort in the order they run; append only.
 * The dialect only picks spellings (a collation), never a different schema.
 */
export function migrations(dialect: "sqlite" | "postgres"): Record<string, Migration> {
  return {
    "0001-initial": initialSchema(dialect),
    "0002-linear": linearSchema(dialect),
    "0003-evaluations": evaluationsSchema(dialect),
    "0004-ads": adsSchema(dialect),
    "0005-feature-texts": featureTextsSchema(dialect),
  };
}

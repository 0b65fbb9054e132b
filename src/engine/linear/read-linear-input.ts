import {
  invalid,
  isPlainObject,
  join,
  readArray,
  readBoolean,
  readJsonText,
  readString,
} from "../../domain/validate.js";
import type { FeatureTexts } from "../../stats/linear/linear-thompson.js";
import type { DecideInput } from "../decision-service.js";
import { JsonTextCache } from "./json-text-cache.js";

/** Most actions one linear decision may offer. */
export const MAX_LINEAR_ACTIONS = 256;
const MAX_ACTION_ID = 256;
/** Serialized size bound of one action's features and of the context features. */
const MAX_FEATURES_BYTES = 65_536;
/** Actions' feature texts by id, shared by every linear experiment of the process (see JsonTextCache). */
const actionTexts = new JsonTextCache(512, 4096);

export interface LinearInput {
  actions: { id: string; features?: unknown }[];
  /** What the model sees as the context (contextFeatures, else context, else null). */
  contextFeatures: unknown;
  /** Offered ids that must not be chosen (ids not offered are ignored, as the model does). */
  excluded: Set<string>;
  baselineAction: string | undefined;
  explain: boolean;
  /** The JSON texts of the context and action features (made for the size check): the model's cache keys. */
  featureTexts: FeatureTexts;
}

/** The linear fields of a decide call, checked: every error names its field. */
export function readLinearInput(input: DecideInput): LinearInput {
  const list = readArray(input.actions, "actions", { max: MAX_LINEAR_ACTIONS });
  if (list.length === 0) invalid("actions", "must offer at least one action");
  const seen = new Set<string>();
  const texts: string[] = [];
  const actions = list.map((a, i) => {
    const field = join("actions", i);
    if (!isPlainObject(a)) invalid(field, "must be an object with an id");
    for (const key in a) {
      if (key !== "id" && key !== "features" && Object.hasOwn(a, key))
        invalid(join(field, key), "is not a known field");
    }
    const id = readString(a.id, join(field, "id"), { max: MAX_ACTION_ID });
    if (seen.has(id)) invalid(join(field, "id"), `duplicates action id ${JSON.stringify(id)}`);
    seen.add(id);
    if (a.features === undefined || a.features === null) {
      texts.push("null");
      return { id };
    }
    texts.push(actionTexts.text(id, a.features, (v) => readJsonText(v, join(field, "features"), MAX_FEATURES_BYTES)));
    return { id, features: a.features };
  });
  const raw = input.contextFeatures !== undefined ? input.contextFeatures : input.context;
  const field = input.contextFeatures !== undefined ? "contextFeatures" : "context";
  const contextFeatures = raw === undefined || raw === null ? null : raw;
  const contextText = contextFeatures === null ? "null" : readJsonText(contextFeatures, field, MAX_FEATURES_BYTES);
  if (contextFeatures !== null && typeof contextFeatures !== "object") {
    invalid(field, "must be an object or an array of objects");
  }
  const excluded = new Set<string>();
  if (input.excludedActions !== undefined && input.excludedActions !== null) {
    readArray(input.excludedActions, "excludedActions", { max: MAX_LINEAR_ACTIONS }).forEach((x, i) => {
      excluded.add(readString(x, join("excludedActions", i), { max: MAX_ACTION_ID }));
    });
  }
  let baselineAction: string | undefined;
  if (input.baselineAction !== undefined && input.baselineAction !== null) {
    baselineAction = readString(input.baselineAction, "baselineAction", { max: MAX_ACTION_ID });
    if (!seen.has(baselineAction)) invalid("baselineAction", `must be one of the offered actions' ids`);
  }
  const explain = input.explain === undefined ? false : readBoolean(input.explain, "explain");
  return {
    actions,
    contextFeatures,
    excluded,
    baselineAction,
    explain,
    featureTexts: { context: contextText, actions: texts },
  };
}

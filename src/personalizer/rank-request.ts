import { invalid, isPlainObject, readArray, readBoolean, readObject, readString } from "../domain/validate.js";

/** Personalizer's limits. */
export const MAX_ACTIONS = 50;
export const MAX_SLOTS = 50;
export const MAX_ID_LENGTH = 256;

export interface RankableAction {
  id: string;
  features?: unknown;
}

export interface RankRequest {
  contextFeatures: unknown;
  actions: RankableAction[];
  excludedActions: string[];
  eventId: string | undefined;
  deferActivation: boolean;
}

/** A feature list: Personalizer sends an array of namespace objects; a single object is taken too. */
export function readFeatures(v: unknown, field: string): unknown {
  if (v === undefined || v === null) return undefined;
  if (isPlainObject(v)) return v;
  const list = readArray(v, field);
  list.forEach((item, i) => {
    if (!isPlainObject(item)) invalid(`${field}[${i}]`, "must be an object of features");
  });
  return list;
}

export function readActions(v: unknown): RankableAction[] {
  const list = readArray(v, "actions", { min: 1, max: MAX_ACTIONS });
  const seen = new Set<string>();
  return list.map((item, i) => {
    const a = readObject(item, `actions[${i}]`);
    const id = readString(a.id, `actions[${i}].id`, { max: MAX_ID_LENGTH });
    if (seen.has(id)) invalid(`actions[${i}].id`, `repeats the action id ${JSON.stringify(id)}`);
    seen.add(id);
    const features = readFeatures(a.features, `actions[${i}].features`);
    return features === undefined ? { id } : { id, features };
  });
}

/** Offered ids to leave out; each must name an offered action. */
export function readExcluded(v: unknown, field: string, offered: ReadonlySet<string>): string[] {
  if (v === undefined || v === null) return [];
  const list = readArray(v, field, { max: MAX_ACTIONS });
  return list.map((item, i) => {
    const id = readString(item, `${field}[${i}]`, { max: MAX_ID_LENGTH });
    if (!offered.has(id)) invalid(`${field}[${i}]`, `names no offered action: ${JSON.stringify(id)}`);
    return id;
  });
}

export function readEventId(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return readString(v, "eventId", { max: MAX_ID_LENGTH });
}

export function readDeferActivation(v: unknown): boolean {
  return v === undefined || v === null ? false : readBoolean(v, "deferActivation");
}

/** Validates a rank body; throws BANDITRY_VALIDATION naming the field. */
export function readRankRequest(body: unknown): RankRequest {
  const o = readObject(body, "body");
  const actions = readActions(o.actions);
  const offered = new Set(actions.map((a) => a.id));
  const excludedActions = readExcluded(o.excludedActions, "excludedActions", offered);
  if (new Set(excludedActions).size >= actions.length) invalid("excludedActions", "excludes every offered action");
  return {
    contextFeatures: readFeatures(o.contextFeatures, "contextFeatures"),
    actions,
    excludedActions,
    eventId: readEventId(o.eventId),
    deferActivation: readDeferActivation(o.deferActivation),
  };
}

import { GLOBAL_SEGMENT } from "../domain/experiment.js";

const MAX_VALUE_LENGTH = 128;

/**
 * The segment a context falls into: the experiment's segment keys with their values, in the
 * declared order ("weekday=sat|userType=new"). No keys → the global segment. A missing key is
 * its own value ("userType=" ) so thin contexts still land in a stable segment.
 */
export function segmentKey(context: Record<string, unknown> | undefined | null, keys: readonly string[]): string {
  if (keys.length === 0) return GLOBAL_SEGMENT;
  let out = "";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = context?.[k];
    let text = v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);
    if (text.length > MAX_VALUE_LENGTH) text = text.slice(0, MAX_VALUE_LENGTH);
    out += (i === 0 ? "" : "|") + k + "=" + text;
  }
  return out;
}

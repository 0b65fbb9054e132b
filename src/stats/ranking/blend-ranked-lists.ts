import { BanditryError, requireFinite } from "../../domain/errors.js";

export interface BlendOptions<T> {
  /** Identity used to drop duplicates (default: the item itself, SameValueZero). */
  key?: (item: T) => unknown;
}

/**
 * Interleaves ranked lists by smooth weighted round-robin (as nginx balances upstreams):
 * each turn every list with items left gains its weight, the list with the most credit
 * (lowest index on ties) gives its next not-yet-taken item and pays the total weight back.
 * Over any stretch each list's share of the output tracks its weight, without bursts, and
 * each list's items keep their relative order. Lists of weight 0 contribute nothing, unless
 * all weights are 0 (then all count equally). Returns at most n distinct items; deterministic.
 */
export function blendRankedLists<T>(
  lists: readonly (readonly T[])[],
  weights: readonly number[],
  n: number,
  options: BlendOptions<T> = {},
): T[] {
  if (weights.length !== lists.length) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `weights must have one entry per list (${lists.length}), got ${weights.length}`,
      { field: "weights" },
    );
  }
  for (let i = 0; i < weights.length; i++) requireFinite(`weights[${i}]`, weights[i]!, { min: 0 });
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `n must be an integer >= 0, got ${String(n)}`, {
      field: "n",
    });
  }
  const key = options.key ?? ((item: T) => item);
  const allZero = weights.every((w) => w === 0);
  const weight = weights.map((w) => (allZero ? 1 : w));
  const next = lists.map(() => 0); // position of each list's next candidate
  const credit = lists.map(() => 0);
  const taken = new Set<unknown>();
  const out: T[] = [];
  while (out.length < n) {
    // skip items already taken, so every turn yields an item and exhausted lists drop out
    let total = 0;
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i]!;
      while (next[i]! < list.length && taken.has(key(list[next[i]!]!))) next[i]!++;
      if (weight[i]! > 0 && next[i]! < list.length) total += weight[i]!;
    }
    if (total === 0) break;
    let pick = -1;
    for (let i = 0; i < lists.length; i++) {
      if (!(weight[i]! > 0 && next[i]! < lists[i]!.length)) continue;
      credit[i]! += weight[i]!;
      if (pick < 0 || credit[i]! > credit[pick]!) pick = i;
    }
    credit[pick]! -= total;
    const item = lists[pick]![next[pick]!++]!;
    taken.add(key(item));
    out.push(item);
  }
  return out;
}

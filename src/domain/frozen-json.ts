/** Values frozen by freezeJson, whole: only they may be trusted by identity. */
const frozen = new WeakSet<object>();

/**
 * Deep-freezes a value JSON.parse made and marks it, so caches may remember it by identity:
 * the same object is then the same JSON, with no comparison.
 */
export function freezeJson<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    deepFreeze(value);
    frozen.add(value);
  }
  return value;
}

/** Whether freezeJson made this value (so neither it nor anything in it can have changed). */
export function isFrozenJson(value: unknown): boolean {
  return typeof value === "object" && value !== null && frozen.has(value);
}

function deepFreeze(v: object): void {
  for (const k in v) {
    const child = (v as Record<string, unknown>)[k];
    if (typeof child === "object" && child !== null) deepFreeze(child);
  }
  Object.freeze(v);
}

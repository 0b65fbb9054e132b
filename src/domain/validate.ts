import { BanditryError } from "./errors.js";

/**
 * Small readers for untrusted input (request bodies, CLI flags). Each throws
 * BANDITRY_VALIDATION with the field's path in both the message and `field`.
 */

export function invalid(field: string, message: string): never {
  throw new BanditryError("BANDITRY_VALIDATION", `${field} ${message}`, { field });
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function readObject(v: unknown, field: string): Record<string, unknown> {
  if (!isPlainObject(v)) invalid(field, `must be an object, got ${describe(v)}`);
  return v;
}

export function rejectUnknownKeys(obj: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) invalid(join(prefix, key), "is not a known field");
  }
}

export function readString(
  v: unknown,
  field: string,
  opts: { min?: number; max?: number; pattern?: RegExp } = {},
): string {
  if (typeof v !== "string") invalid(field, `must be a string, got ${describe(v)}`);
  const min = opts.min ?? 1;
  const max = opts.max ?? 256;
  if (v.length < min) invalid(field, min === 1 ? "must not be empty" : `must have at least ${min} characters`);
  if (v.length > max) invalid(field, `must have at most ${max} characters, got ${v.length}`);
  if (opts.pattern && !opts.pattern.test(v)) invalid(field, `must match ${opts.pattern}, got ${JSON.stringify(v)}`);
  return v;
}

export function readNumber(
  v: unknown,
  field: string,
  opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: number } = {},
): number {
  if (typeof v !== "number" || !Number.isFinite(v)) invalid(field, `must be a finite number, got ${describe(v)}`);
  if (opts.integer && !Number.isInteger(v)) invalid(field, `must be an integer, got ${v}`);
  if (opts.min !== undefined && v < opts.min) invalid(field, `must be >= ${opts.min}, got ${v}`);
  if (opts.exclusiveMin !== undefined && v <= opts.exclusiveMin)
    invalid(field, `must be > ${opts.exclusiveMin}, got ${v}`);
  if (opts.max !== undefined && v > opts.max) invalid(field, `must be <= ${opts.max}, got ${v}`);
  return v;
}

export function readBoolean(v: unknown, field: string): boolean {
  if (typeof v !== "boolean") invalid(field, `must be true or false, got ${describe(v)}`);
  return v;
}

export function readEnum<T extends string>(v: unknown, field: string, values: readonly T[]): T {
  if (typeof v !== "string" || !values.includes(v as T)) {
    invalid(field, `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}, got ${describe(v)}`);
  }
  return v as T;
}

export function readArray(v: unknown, field: string, opts: { min?: number; max?: number } = {}): unknown[] {
  if (!Array.isArray(v)) invalid(field, `must be an array, got ${describe(v)}`);
  if (opts.min !== undefined && v.length < opts.min) invalid(field, `must have at least ${opts.min} items`);
  if (opts.max !== undefined && v.length > opts.max)
    invalid(field, `must have at most ${opts.max} items, got ${v.length}`);
  return v;
}

/** Bounded JSON size for opaque values (arm values, contexts) so one field cannot bloat memory. */
export function readJsonValue(v: unknown, field: string, maxBytes = 16_384): unknown {
  readJsonText(v, field, maxBytes);
  return v;
}

/** JSON.stringify(v), checked to be a JSON value of at most maxBytes (callers that keep the text). */
export function readJsonText(v: unknown, field: string, maxBytes = 16_384): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    invalid(field, "must be JSON-serializable");
  }
  if (text === undefined) invalid(field, "must be a JSON value");
  if (text.length > maxBytes) invalid(field, `must serialize to at most ${maxBytes} bytes, got ${text.length}`);
  return text;
}

export function join(prefix: string, key: string | number): string {
  if (typeof key === "number") return `${prefix}[${key}]`;
  return prefix === "" ? key : `${prefix}.${key}`;
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === "number") return String(v);
  if (typeof v === "object") return "an object";
  return typeof v;
}

import { BanditryError } from "../../domain/errors.js";

/** Bounds on one side's features (the context, or one action), checked while flattening. */
export interface FeatureLimits {
  /** Deepest nesting of objects and arrays below the top level. */
  maxDepth: number;
  /** Most features one side may flatten to. */
  maxFeatures: number;
  /** Longest key or string value, in UTF-16 code units. */
  maxNameLength: number;
}

export const DEFAULT_FEATURE_LIMITS: Readonly<FeatureLimits> = { maxDepth: 8, maxFeatures: 256, maxNameLength: 256 };

/** Named numeric features, in the order they were met. A name may repeat (its values then add up). */
export interface FlatFeatures {
  names: string[];
  values: number[];
}

/**
 * Flattens Personalizer-style nested JSON features into named numeric features:
 * - `{"user": {"type": "new"}}` → `ns.user.type=new` with value 1 (strings and booleans are one-hot);
 * - `{"time": {"hour": 7}}` → `ns.time.hour` with value 7 (a 0 is left out: it adds nothing);
 * - arrays of objects add their members under the same name, so Personalizer's namespace
 *   lists `[{"user": {…}}, {"device": {…}}]` give `ns.user.…` and `ns.device.…`;
 * - arrays of strings are a bag of one-hot features (`ns.tags=a`, `ns.tags=b`), arrays of
 *   numbers are indexed (`ns.embedding[0]`, `ns.embedding[1]`);
 * - null means "absent".
 * `field` is how errors name the input (e.g. "contextFeatures", "actions[2].features").
 */
export function flattenFeatures(
  features: unknown,
  namespace: string,
  field: string,
  limits: Readonly<FeatureLimits> = DEFAULT_FEATURE_LIMITS,
): FlatFeatures {
  const names: string[] = [];
  const values: number[] = [];
  if (features === undefined || features === null) return { names, values };
  if (typeof features !== "object") {
    throw invalid(field, `${field} must be an object or an array of objects, got ${describe(features)}`);
  }

  const add = (name: string, value: number, at: string): void => {
    if (names.length >= limits.maxFeatures) {
      throw invalid(field, `${field} has more than ${limits.maxFeatures} features (the limit was passed at ${at})`);
    }
    names.push(name);
    values.push(value);
  };

  const walk = (value: unknown, name: string, at: string, depth: number): void => {
    switch (typeof value) {
      case "string":
        if (value.length > limits.maxNameLength) {
          throw invalid(at, `${at} is ${value.length} characters long; the limit is ${limits.maxNameLength}`);
        }
        add(`${name}=${value}`, 1, at);
        return;
      case "boolean":
        add(`${name}=${value}`, 1, at);
        return;
      case "number":
        if (!Number.isFinite(value)) throw invalid(at, `${at} must be a finite number, got ${String(value)}`);
        if (value !== 0) add(name, value, at);
        return;
      case "undefined":
        return;
      case "object": {
        if (value === null) return;
        if (depth > limits.maxDepth) throw invalid(at, `${at} is nested more than ${limits.maxDepth} levels deep`);
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const item: unknown = value[i];
            // numbers keep their position (a vector); anything else shares the array's name
            walk(item, typeof item === "number" ? `${name}[${i}]` : name, `${at}[${i}]`, depth + 1);
          }
          return;
        }
        for (const key of Object.keys(value)) {
          if (key.length > limits.maxNameLength) {
            throw invalid(
              at,
              `a key of ${at} is ${key.length} characters long (${describe(key)}); the limit is ${limits.maxNameLength}`,
            );
          }
          walk((value as Record<string, unknown>)[key], `${name}.${key}`, `${at}.${key}`, depth + 1);
        }
        return;
      }
      default:
        throw invalid(at, `${at} must be a string, number, boolean, object or array, got ${typeof value}`);
    }
  };

  walk(features, namespace, field, 0);
  return { names, values };
}

function invalid(field: string, message: string): BanditryError {
  return new BanditryError("BANDITRY_VALIDATION", message, { field });
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value.slice(0, 64)) : String(value);
}

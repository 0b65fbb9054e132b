import { InvalidArgumentError } from "commander";

/**
 * Value parsers for commander options. Each throws InvalidArgumentError, which commander turns
 * into "error: option '--flag <x>' argument 'v' is invalid. <why>" (exit code 2 through run-cli).
 */

/** A finite number; accepts 1e6 and 0.5. */
export function parseNumber(value: string): number {
  const n = value.trim() === "" ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError("Not a number.");
  return n;
}

export function numberAtLeast(min: number, strict = false): (value: string) => number {
  return (value) => {
    const n = parseNumber(value);
    if (strict ? !(n > min) : n < min) throw new InvalidArgumentError(`Must be ${strict ? ">" : ">="} ${min}.`);
    return n;
  };
}

export function numberBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = parseNumber(value);
    if (n < min || n > max) throw new InvalidArgumentError(`Must be between ${min} and ${max}.`);
    return n;
  };
}

/** An integer >= min (1e6 accepted). */
export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = parseNumber(value);
    if (!Number.isSafeInteger(n)) throw new InvalidArgumentError("Not an integer.");
    if (n < min) throw new InvalidArgumentError(`Must be an integer >= ${min}.`);
    return n;
  };
}

/** Comma-separated finite numbers, e.g. "0.7,0.8,0.9". */
export function parseNumberList(value: string): number[] {
  const parts = value.split(",");
  return parts.map((p, i) => {
    const n = p.trim() === "" ? Number.NaN : Number(p);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`Item ${i + 1} ("${p}") is not a number.`);
    return n;
  });
}

/** An integer in [min, max]. */
export function integerBetween(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = integerAtLeast(min)(value);
    if (n > max) throw new InvalidArgumentError(`Must be an integer from ${min} to ${max}.`);
    return n;
  };
}

/** An ISO 8601 date or date-time (2024-05-01, 2024-05-01T12:00:00Z) as epoch milliseconds. */
export function parseIsoTime(value: string): number {
  // Date.parse alone also takes "May 1" or "1": insist on the ISO shape first
  const ms = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
  if (!Number.isFinite(ms)) throw new InvalidArgumentError("Expected an ISO 8601 time, e.g. 2024-05-01T00:00:00Z.");
  return ms;
}

/** A comma-separated list of distinct values among `allowed`, e.g. "decide,read". */
export function choiceList<T extends string>(allowed: readonly T[]): (value: string) => T[] {
  return (value) => {
    const items = value.split(",").map((s) => s.trim());
    for (const item of items) {
      if (!(allowed as readonly string[]).includes(item)) {
        throw new InvalidArgumentError(`"${item}" is not one of ${allowed.join(", ")}.`);
      }
    }
    return [...new Set(items)] as T[];
  };
}

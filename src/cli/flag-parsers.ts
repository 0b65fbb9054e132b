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

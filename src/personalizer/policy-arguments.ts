import { invalid } from "../domain/validate.js";

/**
 * Personalizer's learning settings are a Vowpal Wabbit command line. The flags that mean
 * something for banditry's linear Thompson sampling are read into linear model options; the
 * others (--cb_explore_adf, --cb_type, -l, --power_t, --epsilon, …) have no counterpart and are
 * kept verbatim in the policy string, which the loop stores as given.
 *
 * Read flags:
 * - `-q XY` / `--quadratic XY` / `--interactions XYZ` (any of them): context × action
 *   interactions on (`interactions: true`); without any, interactions off, as in VW.
 * - `-b n` / `--bit_precision n`: `dimension` = 2^n, clamped to 16…1024 (dense O(d²) work beyond).
 * - `--l2 x` (x > 0): prior precision `lambda` = x (a ridge penalty, as VW's L2).
 * - `--hash_seed n`: `hashSeed`.
 * - banditry's own: `--dimension n`, `--lambda x`, `--noise_variance x`, `--exploration v`
 *   (posterior spread multiplier), `--draws n` (Monte Carlo draws behind rank probabilities).
 * The service configuration's explorationPercentage, not --epsilon, sets the exploration share.
 */
export interface ParsedPolicyArguments {
  linear: Record<string, number | boolean>;
  /** Flags read (as written). */
  read: string[];
  /** Flags kept verbatim without effect. */
  ignored: string[];
}

const MAX_ARGUMENTS_LENGTH = 4096;

type NumberFlag = { option: string; integer: boolean; min: number; max: number; map?: (v: number) => number };

const NUMBER_FLAGS: Readonly<Record<string, NumberFlag>> = {
  "-b": { option: "dimension", integer: true, min: 1, max: 30, map: (b) => Math.min(1024, Math.max(16, 2 ** b)) },
  "--bit_precision": {
    option: "dimension",
    integer: true,
    min: 1,
    max: 30,
    map: (b) => Math.min(1024, Math.max(16, 2 ** b)),
  },
  "--l2": { option: "lambda", integer: false, min: Number.MIN_VALUE, max: 1e12 },
  "--hash_seed": { option: "hashSeed", integer: true, min: 0, max: 0xffffffff },
  "--dimension": { option: "dimension", integer: true, min: 1, max: 2048 },
  "--lambda": { option: "lambda", integer: false, min: Number.MIN_VALUE, max: 1e12 },
  "--noise_variance": { option: "noiseVariance", integer: false, min: Number.MIN_VALUE, max: 1e12 },
  "--exploration": { option: "exploration", integer: false, min: 0, max: 1e6 },
  "--draws": { option: "draws", integer: true, min: 1, max: 100_000 },
};

const INTERACTION_FLAGS = new Set(["-q", "--quadratic", "--interactions", "--cubic"]);

/** Parses a policy's arguments; throws BANDITRY_VALIDATION (field "arguments") on a bad value of a read flag. */
export function parsePolicyArguments(args: unknown, field = "arguments"): ParsedPolicyArguments {
  if (typeof args !== "string") invalid(field, `must be a string, got ${typeof args}`);
  if (args.length > MAX_ARGUMENTS_LENGTH) invalid(field, `must have at most ${MAX_ARGUMENTS_LENGTH} characters`);
  const tokens = args.split(/\s+/).filter((t) => t !== "");
  const linear: Record<string, number | boolean> = { interactions: false };
  const read: string[] = [];
  const ignored: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const eq = token.startsWith("--") ? token.indexOf("=") : -1;
    const flag = eq > 0 ? token.slice(0, eq) : token;
    const inline = eq > 0 ? token.slice(eq + 1) : undefined;
    const numeric = NUMBER_FLAGS[flag];
    if (numeric !== undefined) {
      const text = inline ?? tokens[++i];
      const value = Number(text);
      if (text === undefined || text === "" || !Number.isFinite(value)) {
        invalid(field, `${flag} needs a number, got ${JSON.stringify(text ?? null)}`);
      }
      if ((numeric.integer && !Number.isInteger(value)) || value < numeric.min || value > numeric.max) {
        invalid(
          field,
          `${flag} must be ${numeric.integer ? "an integer " : ""}in ${numeric.min}…${numeric.max}, got ${text}`,
        );
      }
      linear[numeric.option] = numeric.map ? numeric.map(value) : value;
      read.push(flag);
    } else if (INTERACTION_FLAGS.has(flag)) {
      linear.interactions = true;
      read.push(flag);
      if (inline === undefined && i + 1 < tokens.length && !tokens[i + 1]!.startsWith("-")) i++;
    } else if (token.startsWith("-")) {
      ignored.push(flag);
    }
  }
  return { linear, read, ignored };
}

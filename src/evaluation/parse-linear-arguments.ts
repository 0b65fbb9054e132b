import { BanditryError } from "../domain/errors.js";
import type { LinearThompsonOptions } from "../stats/linear/linear-thompson-options.js";
import { MAX_DIMENSION } from "../stats/linear/linear-thompson-options.js";
import { tokenizeArguments } from "./tokenize-arguments.js";

export interface ParsedLinearArguments {
  options: LinearThompsonOptions;
  /** Share of decisions spread uniformly over the eligible actions (VW's --epsilon). */
  epsilon?: number;
  /** Flags read by nothing here, as written. */
  ignored: string[];
}

const MAX_BITS = Math.log2(MAX_DIMENSION);

/**
 * A Personalizer / Vowpal Wabbit policy command line for a linear Thompson candidate. Read:
 *   --epsilon x           share of uniformly random choices among the eligible actions, in [0, 1]
 *   --lambda x            prior precision of each weight (> 0)
 *   --noise x             reward noise variance σ² (> 0)
 *   -b bits               hashed dimension 2^bits (bits 0..11)
 *   -q ab, --quadratic ab, --interactions [ab]   context × action interactions (every pair: the
 *                         model has one kind of interaction, so the namespaces named do not matter)
 *   --no-interactions     no interactions
 *   --exploration v       posterior spread multiplier (1 = exact Thompson sampling)
 *   --draws n             Monte Carlo draws behind each decision's probabilities
 * Every other flag (--cb_explore_adf, --dsjson, --power_t 0.5, -l 0.1, …) is ignored and listed.
 */
export function parseLinearArguments(text: string, field: string): ParsedLinearArguments {
  const options: LinearThompsonOptions = {};
  const ignored: string[] = [];
  let epsilon: number | undefined;
  const number = (flag: string, value: string | undefined, check: (n: number) => boolean, rule: string): number => {
    const n = value === undefined ? Number.NaN : Number(value);
    if (!(Number.isFinite(n) && check(n))) {
      throw new BanditryError(
        "BANDITRY_VALIDATION",
        `${field}: ${flag} needs ${rule}, got ${value === undefined ? "nothing" : JSON.stringify(value)}`,
        { field },
      );
    }
    return n;
  };
  for (const t of tokenizeArguments(text)) {
    switch (t.flag) {
      case "--epsilon":
        epsilon = number(t.flag, t.value, (n) => n >= 0 && n <= 1, "a number in [0, 1]");
        break;
      case "--lambda":
        options.lambda = number(t.flag, t.value, (n) => n > 0, "a number > 0");
        break;
      case "--noise":
        options.noiseVariance = number(t.flag, t.value, (n) => n > 0, "a number > 0");
        break;
      case "-b":
      case "--bit_precision":
        options.dimension =
          2 ** number(t.flag, t.value, (n) => Number.isInteger(n) && n >= 0 && n <= MAX_BITS, `bits 0..${MAX_BITS}`);
        break;
      case "-q":
      case "--quadratic":
      case "--interactions":
        options.interactions = true;
        break;
      case "--no-interactions":
        options.interactions = false;
        if (t.value !== undefined) ignored.push(t.value);
        break;
      case "--exploration":
        options.exploration = number(t.flag, t.value, (n) => n >= 0, "a number >= 0");
        break;
      case "--draws":
        options.draws = number(t.flag, t.value, (n) => Number.isInteger(n) && n >= 1 && n <= 1e6, "an integer 1..1e6");
        break;
      default:
        ignored.push(t.text);
    }
  }
  return epsilon === undefined ? { options, ignored } : { options, epsilon, ignored };
}

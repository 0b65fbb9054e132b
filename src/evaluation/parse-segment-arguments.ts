import { BanditryError } from "../domain/errors.js";
import type { PolicyOptions } from "../stats/policies/policy.js";
import { tokenizeArguments } from "./tokenize-arguments.js";

export interface ParsedSegmentArguments {
  options: PolicyOptions;
  draws?: number;
  ignored: string[];
}

/**
 * A command line for a context-free candidate (thompson, top-two-thompson, ucb1,
 * epsilon-greedy, uniform). Read: --epsilon x (epsilon-greedy), --top-two-beta x,
 * --ucb-c x, --draws n (Monte Carlo draws per decision); other flags are ignored and listed.
 */
export function parseSegmentArguments(text: string, field: string): ParsedSegmentArguments {
  const options: PolicyOptions = {};
  const ignored: string[] = [];
  let draws: number | undefined;
  const number = (flag: string, value: string | undefined): number => {
    const n = value === undefined ? Number.NaN : Number(value);
    if (!Number.isFinite(n)) {
      throw new BanditryError("BANDITRY_VALIDATION", `${field}: ${flag} needs a number, got ${String(value)}`, {
        field,
      });
    }
    return n;
  };
  for (const t of tokenizeArguments(text)) {
    if (t.flag === "--epsilon") options.epsilon = number(t.flag, t.value);
    else if (t.flag === "--top-two-beta") options.topTwoBeta = number(t.flag, t.value);
    else if (t.flag === "--ucb-c") options.ucbC = number(t.flag, t.value);
    else if (t.flag === "--draws") draws = number(t.flag, t.value);
    else ignored.push(t.text);
  }
  return draws === undefined ? { options, ignored } : { options, draws, ignored };
}

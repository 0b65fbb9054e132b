/** One flag of an arguments string, with its value when one follows. */
export interface ArgumentToken {
  flag: string;
  value: string | undefined;
  /** As written ("--power_t 0.5"), for the list of ignored arguments. */
  text: string;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Splits a Vowpal-Wabbit style command line ("--cb_explore_adf --epsilon 0.2 -q :: -b 18") into
 * flags and values: a token starting with "-" (and not a number) is a flag, the token after it
 * its value unless it is a flag itself; "--flag=value" works too. Stray values are kept as
 * flag-less tokens (flag "") so they can be reported.
 */
export function tokenizeArguments(text: string): ArgumentToken[] {
  const words = text.trim() === "" ? [] : text.trim().split(/\s+/);
  const out: ArgumentToken[] = [];
  const isFlag = (w: string) => w.startsWith("-") && w.length > 1 && !NUMBER.test(w);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!isFlag(w)) {
      out.push({ flag: "", value: w, text: w });
      continue;
    }
    const eq = w.startsWith("--") ? w.indexOf("=") : -1;
    if (eq > 0) {
      out.push({ flag: w.slice(0, eq), value: w.slice(eq + 1), text: w });
      continue;
    }
    const next = words[i + 1];
    if (next !== undefined && !isFlag(next)) {
      out.push({ flag: w, value: next, text: `${w} ${next}` });
      i++;
    } else {
      out.push({ flag: w, value: undefined, text: w });
    }
  }
  return out;
}

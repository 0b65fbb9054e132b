import { AmazonAdsError } from "./amazon-ads-error.js";

/**
 * JSON.parse that keeps 64-bit integers exact: an integer literal beyond
 * Number.MAX_SAFE_INTEGER (v2 profileId, ids in report rows) becomes its decimal string
 * instead of a rounded double. Everything else parses exactly as JSON.parse does.
 * Node 20's JSON.parse has no access to the source text of a number, hence the scan: it
 * only runs when the text holds a run of 16+ digits, so ordinary bodies pay one regex test.
 */
export function parseJsonExact(text: string): unknown {
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  return JSON.parse(quoteUnsafeIntegers(text));
}

/** Rewrites the text so each unsafe integer literal outside strings becomes a JSON string. */
export function quoteUnsafeIntegers(text: string): string {
  let out = "";
  let copiedTo = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // skip a string literal: jump from quote to quote, one is the end unless an odd
      // number of backslashes escapes it
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) return text; // unterminated: JSON.parse will say so
        let backslashes = 0;
        while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
        j++;
      }
      i = j + 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      let integer = true;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 0x30 && d <= 0x39) i++;
        else if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) {
          integer = false;
          i++;
        } else break;
      }
      if (integer && i - start >= 16) {
        const literal = text.slice(start, i);
        if (!Number.isSafeInteger(Number(literal))) {
          out += text.slice(copiedTo, start) + '"' + literal + '"';
          copiedTo = i;
        }
      }
    } else i++;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

/**
 * A JSON id (number or string) as its exact decimal string; numbers must be safe integers
 * (parseJsonExact already turned the others into strings).
 */
export function idString(value: unknown, field: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value === "bigint") return value.toString();
  throw new AmazonAdsError(
    "BANDITRY_AMAZON_ADS_BAD_RESPONSE",
    `${field} must be an integer id, got ${JSON.stringify(value) ?? String(value)}`,
  );
}

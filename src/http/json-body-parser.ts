import { BanditryError } from "../domain/errors.js";
import { freezeJson } from "../domain/frozen-json.js";
import { LruCache } from "../stats/linear/lru-cache.js";

/** What parse() answers for a body that nests deeper than allowed. */
export const TOO_DEEP = Symbol("too deep");

/** Request bodies nest at most this deep (a context object of objects is plenty). */
export const MAX_JSON_DEPTH = 64;

/** The error of a body that nests deeper than MAX_JSON_DEPTH. */
export function tooDeepError(): BanditryError {
  return new BanditryError("BANDITRY_VALIDATION", `request body nests deeper than ${MAX_JSON_DEPTH} levels`, {
    field: "body",
  });
}

/** A features text seen before: its parsed, frozen value and how deep it nests. */
interface Known {
  text: string;
  value: unknown;
  depth: number;
}

/** Features texts are looked up by their first PREFIX characters; shorter ones are parsed each time. */
const PREFIX = 48;
/** Texts kept per prefix (catalogs whose features begin alike). */
const PER_PREFIX = 4;

/**
 * JSON.parse for request bodies, with the depth check in the same pass and a cache of the
 * `features` of the top-level `actions[i]`: a rank offers a catalog's actions, whose features
 * repeat call after call, and parsing them was most of a rank body's parse (about 15 µs of 2 KB).
 * Where the text at a features value starts with a text seen before, that value is the same
 * (a complete JSON value ends at its own closing bracket), so the scan jumps over it, and it is
 * cut out of the text before JSON.parse and its cached value put in. Cached values are shared
 * by every body that carried the same text, so they are deep-frozen (freezeJson): nothing downstream
 * may change a request's features in place, and caches further on know them by identity.
 *
 * Only for text without `\u` escapes, `__proto__` or `constructor` (the caller's fast path):
 * keys are then spelled literally, so "actions" and "features" are found by their text, and
 * the placeholder strings (a NUL and an index, which such text cannot contain) cannot collide.
 * Invalid JSON throws, as JSON.parse does; the caller re-parses for the error message.
 */
export class JsonBodyParser {
  private readonly cache: LruCache<Known[]>;

  /**
   * At most `capacity` prefixes of PER_PREFIX features texts of at most `maxText` characters:
   * by default 2,048 texts, 4 M characters at worst (a catalog's features run to a few hundred).
   */
  constructor(
    private readonly maxDepth: number,
    capacity = 512,
    private readonly maxText = 2048,
  ) {
    this.cache = new LruCache(capacity);
  }

  parse(text: string): unknown {
    const spans: Span[] = [];
    if (!this.scan(text, spans)) return TOO_DEEP;
    if (spans.length === 0) return JSON.parse(text);
    const values: unknown[] = [];
    let skeleton = "";
    let from = 0;
    for (const s of spans) {
      let value = s.known?.value;
      if (value === undefined) {
        const raw = text.slice(s.start, s.end);
        value = freezeJson(JSON.parse(raw));
        if (s.depth >= 0) this.remember(raw, value, s.depth);
      }
      skeleton += `${text.slice(from, s.start)}"\\u0000${values.length}"`;
      values.push(value);
      from = s.end;
    }
    skeleton += text.slice(from);
    const body = JSON.parse(skeleton) as { actions?: unknown };
    // the placeholders sit where the scan found them: actions[i].features (a repeated key's
    // earlier value is dropped by JSON.parse, its placeholder with it)
    const actions = body.actions;
    if (Array.isArray(actions)) {
      for (const a of actions) {
        if (typeof a !== "object" || a === null) continue;
        const f = (a as { features?: unknown }).features;
        if (typeof f === "string" && f.charCodeAt(0) === 0) {
          (a as { features?: unknown }).features = values[Number(f.slice(1))];
        }
      }
    }
    return body;
  }

  /**
   * Whether the text nests deeper than allowed: the same pass, for text parse() must not take
   * (the caller's safe parser reads it). Checked before parsing, so a deeply nested body is a
   * 400 rather than a stack overflow in a later JSON.stringify.
   */
  tooDeep(text: string): boolean {
    return !this.scan(text, []);
  }

  private remember(raw: string, value: unknown, depth: number): void {
    // copies: a slice would keep the whole body alive in the cache
    const text = ` ${raw}`.slice(1);
    const prefix = ` ${raw.slice(0, PREFIX)}`.slice(1);
    const list = this.cache.get(prefix) ?? [];
    if (list.some((k) => k.text === text)) return; // twice in one body: both were unknown during the scan
    list.unshift({ text, value, depth });
    if (list.length > PER_PREFIX) list.pop();
    this.cache.set(prefix, list);
  }

  /** A known text at offset i, if any. */
  private lookup(text: string, i: number): Known | undefined {
    if (text.length - i < PREFIX) return undefined;
    const list = this.cache.get(text.slice(i, i + PREFIX));
    if (list === undefined) return undefined;
    // (a slice compared whole is about ten times faster than startsWith here)
    for (const k of list) if (text.slice(i, i + k.text.length) === k.text) return k;
    return undefined;
  }

  /**
   * One pass over the text: false when it nests deeper than allowed; else `spans` lists every
   * object or array that is the value of "features" in an element of the top-level "actions".
   */
  private scan(text: string, spans: Span[]): boolean {
    const max = this.maxDepth;
    let depth = 0;
    // 0 elsewhere, -1 after the top-level key "actions", 1 in its array, 2 in one of its elements
    let inActions = 0;
    let keyStart = -1;
    let keyEnd = -1;
    let span: Span | undefined;
    let spanDepth = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */) {
        // strings are most of a body: the native indexOf skips them (a quote after an odd run
        // of backslashes is escaped)
        const start = i;
        for (;;) {
          i = text.indexOf('"', i + 1);
          if (i < 0) return true; // unterminated: JSON.parse will say so
          let b = i - 1;
          while (text.charCodeAt(b) === 92) b--;
          if ((i - 1 - b) % 2 === 0) break;
        }
        keyStart = start;
        keyEnd = i + 1;
      } else if (c === 58 /* : */) {
        // the string just read was a key
        if (depth === 1 && inActions === 0) {
          if (isKey(text, keyStart, keyEnd, "actions")) inActions = -1; // its array is next
        } else if (depth === 3 && inActions === 2 && isKey(text, keyStart, keyEnd, "features")) {
          let j = i + 1;
          while (j < text.length && isSpace(text.charCodeAt(j))) j++;
          const v = text.charCodeAt(j);
          if (v !== 123 && v !== 91) continue;
          const known = this.lookup(text, j);
          if (known !== undefined) {
            if (depth + known.depth > max) return false;
            spans.push({ start: j, end: j + known.text.length, depth: known.depth, known });
            i = j + known.text.length - 1;
            continue;
          }
          // scanned below; kept for later calls when long enough to be looked up
          span = { start: j, end: -1, depth: j + PREFIX <= text.length ? 0 : -1, known: undefined };
          spanDepth = 0;
          i = j - 1;
        }
      } else if (c === 123 /* { */ || c === 91 /* [ */) {
        if (++depth > max) return false;
        if (span !== undefined && depth - 3 > spanDepth) spanDepth = depth - 3;
        if (depth === 2 && inActions === -1) inActions = c === 91 ? 1 : 0;
        else if (depth === 3 && inActions === 1) inActions = c === 123 ? 2 : 1;
      } else if (c === 125 /* } */ || c === 93 /* ] */) {
        depth--;
        if (span !== undefined && depth === 3) {
          span.end = i + 1;
          if (span.depth >= 0 && span.end - span.start <= this.maxText) span.depth = spanDepth;
          else span.depth = -1;
          spans.push(span);
          span = undefined;
        } else if (depth === 2 && inActions === 2) inActions = 1;
        else if (depth === 1 && inActions === 1) inActions = 0;
      } else if (c === 44 /* , */ && depth === 1 && inActions === -1) {
        inActions = 0; // "actions" held no array
      }
    }
    return true;
  }
}

/** A features value in the text: [start, end), how deep it nests (-1: not to be remembered), its cache entry. */
interface Span {
  start: number;
  end: number;
  depth: number;
  known: Known | undefined;
}

function isKey(text: string, start: number, end: number, key: string): boolean {
  if (end - start !== key.length + 2) return false;
  for (let k = 0; k < key.length; k++) if (text.charCodeAt(start + 1 + k) !== key.charCodeAt(k)) return false;
  return true;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

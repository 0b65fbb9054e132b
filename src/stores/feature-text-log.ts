import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Decision, DecisionFeatures } from "../domain/decision.js";
import { freezeJson } from "../domain/frozen-json.js";
import type { Database } from "./database.js";
import { chunks } from "./sql-dialect.js";

/** Action texts this process remembers having met, or read back: at most this many, of at most this many characters in all (the oldest are forgotten first). */
const MAX_TEXTS = 10_000;
const MAX_CHARS = 8_000_000;
const FEATURES_KEY = '"features":';
/** Digests read per query (well under both dialects' parameter limits). */
const READ_CHUNK = 500;

/** An action's features text, to store once for its experiment. */
export interface FeatureText {
  experimentId: string;
  digest: string;
  text: string;
}

/** DecisionFeatures as stored: an action's features may be a reference to its text. */
interface StoredFeatures extends DecisionFeatures {
  actions: { id: string; features?: unknown; ref?: string }[];
}

/**
 * Stores each action's features once per experiment. A rank logs what the model saw: the
 * context, and every offered action's features, which for a catalog are the same texts rank
 * after rank (1.9 KB of a 2.6 KB decision row in the rank benchmark). The second time this
 * process meets an action's text, the decision's features column refers to it as
 * `{"id":…,"ref":"<digest>"}` and the text goes to feature_texts (experiment, digest) in the
 * same transaction, insert-or-ignore: a reference is only ever written beside its text, so no
 * cache can go stale, whatever another instance deleted meanwhile. A text met once stays inline,
 * so features that change with every rank (a price, a timestamp) do not fill the table.
 * DELETE logs deletes an experiment's texts with its decisions (KyselyLoopStore.deleteLogs).
 *
 * The digest is SHA-256 (132 bits, base64url), computed once per text and process: a collision
 * would swap one action's features for another's, so it must not happen by chance.
 */
export class FeatureTextLog {
  /** Action texts met: their digest from the second time on, null after the first. */
  readonly #seen = new TextMemory<string | null>((text) => text.length);
  /** Values of the texts read back and the texts' lengths, by experiment and digest (a digest's text never changes). */
  readonly #read = new TextMemory<{ chars: number; value: unknown }>((_, read) => read.chars);

  /**
   * The decision's features column: its features text with every action text met before
   * replaced by a reference, which is added to `texts` (by experiment and digest) to be stored
   * with it. Without featureSpans, or when they do not fit the text, the text as it is.
   */
  rowText(d: Decision, texts: Map<string, FeatureText>): string | null {
    const text = d.featuresText;
    if (text === undefined) return d.features == null ? null : JSON.stringify(d.features);
    const spans = d.featureSpans;
    if (spans === undefined || !spansFit(text, spans)) return text;
    let out = "";
    let at = 0;
    for (let i = 0; i < spans.length; i += 2) {
      const start = spans[i]!;
      if (start < 0) continue;
      const end = spans[i + 1]!;
      const actionText = text.slice(start + FEATURES_KEY.length, end);
      const digest = this.#digest(actionText);
      if (digest === null) continue;
      out += `${text.slice(at, start)}"ref":"${digest}"`;
      at = end;
      const key = `${d.experimentId}\u0000${digest}`;
      if (!texts.has(key)) texts.set(key, { experimentId: d.experimentId, digest, text: actionText });
    }
    return at === 0 ? text : out + text.slice(at);
  }

  /**
   * The rows' features, each action's reference replaced by its text's value; null for a row
   * without features. Throws when a referenced text is missing: DELETE logs ran between reading
   * the rows and their texts (read again), or the log lost data.
   */
  async readFeatures(
    db: Kysely<Database>,
    rows: readonly { experiment_id: string; features: string | null }[],
  ): Promise<(DecisionFeatures | null)[]> {
    const parsed = rows.map((r) => (r.features === null ? null : (JSON.parse(r.features) as StoredFeatures)));
    // each reference's key, in the order of the rows and their actions
    const keys: string[] = [];
    const missing = new Map<string, Set<string>>();
    parsed.forEach((f, i) => {
      for (const a of f?.actions ?? []) {
        if (a.ref === undefined) continue;
        const experimentId = rows[i]!.experiment_id;
        const key = `${experimentId}\u0000${a.ref}`;
        keys.push(key);
        if (this.#read.has(key)) continue;
        const digests = missing.get(experimentId) ?? new Set<string>();
        missing.set(experimentId, digests.add(a.ref));
      }
    });
    for (const [experimentId, digests] of missing) {
      for (const chunk of chunks([...digests], READ_CHUNK)) {
        const found = await db
          .selectFrom("feature_texts")
          .select(["digest", "text"])
          .where("experiment_id", "=", experimentId)
          .where("digest", "in", chunk)
          .execute();
        for (const t of found) {
          this.#read.set(`${experimentId}\u0000${t.digest}`, {
            chars: t.text.length,
            value: freezeJson(JSON.parse(t.text)),
          });
        }
      }
    }
    let k = 0;
    return parsed.map((f, i) => {
      if (f === null) return null;
      const actions = f.actions;
      for (let j = 0; j < actions.length; j++) {
        const a = actions[j]!;
        if (a.ref === undefined) continue;
        const read = this.#read.get(keys[k++]!);
        if (read === undefined) {
          throw new Error(
            `feature_texts has no text ${a.ref} of experiment ${rows[i]!.experiment_id}, referred to by a decision ` +
              "(its logs were deleted since the decision was read, or the log lost data)",
          );
        }
        // one frozen value per text, shared by the decisions that offered it (readers only read features)
        actions[j] = { id: a.id, features: read.value };
      }
      return f;
    });
  }

  /** The text's digest when it was met before, else null (and it is remembered). */
  #digest(text: string): string | null {
    const seen = this.#seen.get(text);
    if (seen === null) {
      const digest = createHash("sha256").update(text).digest("base64url").slice(0, 22);
      this.#seen.set(text, digest);
      return digest;
    }
    if (seen !== undefined) return seen;
    // a copy: the slice would keep the whole decision's text alive as long as it is remembered
    this.#seen.set(` ${text}`.slice(1), null);
    return null;
  }
}

/** A map bounded to MAX_TEXTS entries and MAX_CHARS characters (by `chars`), forgetting the oldest first. */
class TextMemory<V> {
  readonly #map = new Map<string, V>();
  #chars = 0;

  constructor(private readonly chars: (key: string, value: V) => number) {}

  has(key: string): boolean {
    return this.#map.has(key);
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  set(key: string, value: V): void {
    const old = this.#map.get(key);
    if (old !== undefined || this.#map.has(key)) this.#chars -= this.chars(key, old as V);
    this.#map.set(key, value);
    this.#chars += this.chars(key, value);
    while (this.#map.size > MAX_TEXTS || (this.#chars > MAX_CHARS && this.#map.size > 1)) {
      const [oldest, v] = this.#map.entries().next().value!;
      this.#map.delete(oldest);
      this.#chars -= this.chars(oldest, v);
    }
  }
}

/** Whether `spans` are ascending `"features":…` members of `text`, as decisionFeaturesText writes them. */
function spansFit(text: string, spans: readonly number[]): boolean {
  if (spans.length % 2 !== 0) return false;
  let last = 0;
  for (let i = 0; i < spans.length; i += 2) {
    const start = spans[i]!;
    const end = spans[i + 1]!;
    if (start === -1 && end === -1) continue;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= last && end > start + FEATURES_KEY.length))
      return false;
    // the member opens with its key and closes its action's object
    if (end >= text.length || !text.startsWith(FEATURES_KEY, start) || text.charCodeAt(end) !== 0x7d) return false;
    last = end;
  }
  return true;
}

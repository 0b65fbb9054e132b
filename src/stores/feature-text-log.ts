import type { Kysely } from "kysely";
import type { Decision, DecisionFeatures } from "../domain/decision.js";
import { FEATURE_TEXT_DIGEST_LENGTH, FeatureTextDigests } from "../domain/feature-text-digests.js";
import { freezeJson } from "../domain/frozen-json.js";
import { TextMemory } from "../domain/text-memory.js";
import type { CommitTexts } from "./commit-texts.js";
import type { Database } from "./database.js";
import { chunks } from "./sql-dialect.js";

const FEATURES_KEY = '"features":';
/** Digests read per query (well under both dialects' parameter limits). */
const READ_CHUNK = 500;

/** DecisionFeatures as stored: an action's features may be a reference to its text. */
interface StoredFeatures extends DecisionFeatures {
  actions: { id: string; features?: unknown; ref?: string }[];
}

/**
 * Stores each action's features once per experiment. A rank logs what the model saw: the
 * context, and every offered action's features, which for a catalog are the same texts rank
 * after rank (1.9 KB of a 2.6 KB decision row in the rank benchmark). When an action's text has
 * a digest (Decision.featureDigests, else this log's own FeatureTextDigests: from the second
 * time a process meets the text), the decision's features column refers to it as
 * `{"id":…,"ref":"<digest>"}` and the text goes to feature_texts (experiment, digest) in the same
 * transaction, insert-or-ignore: a reference is only ever written beside its text, so no cache
 * can go stale, whatever another instance deleted meanwhile. DELETE logs deletes an experiment's
 * texts with its decisions (KyselyLoopStore.deleteLogs).
 */
export class FeatureTextLog {
  /** Digests of the action texts of decisions that come without theirs. */
  readonly #digests = new FeatureTextDigests();
  /** Values of the texts read back and the texts' lengths, by experiment and digest (a digest's text never changes). */
  readonly #read = new TextMemory<{ chars: number; value: unknown }>((_, read) => read.chars);

  /**
   * The decision's features column: its features text with every action text that has a digest
   * replaced by a reference, which is added to `texts` (by experiment and digest) to be stored
   * with it. Without featureSpans, or when they do not fit the text, the text as it is.
   */
  rowText(d: Decision, texts: CommitTexts): string | null {
    const text = d.featuresText;
    if (text === undefined) return d.features == null ? null : JSON.stringify(d.features);
    const spans = d.featureSpans;
    if (spans === undefined || !spansFit(text, spans)) return text;
    const given = digestsFit(d.featureDigests, spans) ? d.featureDigests : undefined;
    // the row's pieces, joined once (appending made a rope of 40 strings, flattened again to bind it)
    const parts: string[] = [];
    let at = 0;
    for (let i = 0; i < spans.length; i += 2) {
      const start = spans[i]!;
      if (start < 0) continue;
      const end = spans[i + 1]!;
      // the text is cut out only when it is stored, or has no digest yet
      const actionText = given === undefined ? slice(text, start, end) : undefined;
      const digest = actionText === undefined ? given![i / 2]! : this.#digests.digest(actionText);
      if (digest === null) continue;
      parts.push(text.slice(at, start), '"ref":"', digest, '"');
      at = end;
      texts.add(d.experimentId, digest, actionText ?? slice(text, start, end));
    }
    if (at === 0) return text;
    parts.push(text.slice(at));
    return parts.join("");
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

/** An action's features text in a decision's text, by its span. */
function slice(text: string, start: number, end: number): string {
  return text.slice(start + FEATURES_KEY.length, end);
}

/** Whether `digests` has one entry per span: a digest, or null (for an action without features, always). */
function digestsFit(digests: readonly (string | null)[] | undefined, spans: readonly number[]): boolean {
  if (digests === undefined || digests.length * 2 !== spans.length) return false;
  for (let i = 0; i < digests.length; i++) {
    const d = digests[i];
    if (d === null) continue;
    if (typeof d !== "string" || d.length !== FEATURE_TEXT_DIGEST_LENGTH || spans[2 * i]! < 0) return false;
  }
  return true;
}

import { createHash } from "node:crypto";
import { TextMemory } from "./text-memory.js";

/** A digest's length: SHA-256 in base64url, cut to 132 bits. */
export const FEATURE_TEXT_DIGEST_LENGTH = 22;

/**
 * The digests under which the decision log stores an action's features text once per experiment
 * (FeatureTextLog): a text's digest from the second time this memory meets it, null the first
 * time, so a text met once (features that change with every rank: a price, a timestamp) stays
 * inline in its decision. The digest is SHA-256, 132 bits: a collision would swap one action's
 * features for another's, so it must not happen by chance; it is computed once per text.
 *
 * Kept where the texts are made (the engine, the rank thread): there a catalog's action texts
 * are the same string objects rank after rank (JsonTextCache), so looking one up hashes nothing.
 * The log's own lookups of the texts it sliced from each decision hashed and compared ten
 * 190-character strings per rank on the main thread.
 */
export class FeatureTextDigests {
  readonly #seen = new TextMemory<string | null>((text) => text.length);

  /** The text's digest when it was met before, else null (and it is remembered). */
  digest(text: string): string | null {
    const seen = this.#seen.get(text);
    if (seen === null) {
      const digest = createHash("sha256").update(text).digest("base64url").slice(0, FEATURE_TEXT_DIGEST_LENGTH);
      this.#seen.set(text, digest);
      return digest;
    }
    if (seen !== undefined) return seen;
    // a copy: a slice would keep the whole text it was cut from alive as long as it is remembered
    this.#seen.set(` ${text}`.slice(1), null);
    return null;
  }

  /** Decision.featureDigests: per action, the digest of its features text, null for an action without features or met first. */
  of(actionTexts: readonly string[], spans: readonly number[]): (string | null)[] {
    const out: (string | null)[] = new Array(spans.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = spans[2 * i]! < 0 ? null : this.digest(actionTexts[i]!);
    return out;
  }
}

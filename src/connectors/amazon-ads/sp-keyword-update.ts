import { BanditryError, type ErrorCode } from "../../domain/errors.js";
import type { AdsTransport } from "./ads-transport.js";
import { AmazonAdsError } from "./amazon-ads-error.js";
import { MEDIA_TYPES } from "./media-types.js";
import type { KeywordMutationError, KeywordUpdate, SpKeyword } from "./sp-types.js";

/** PUT /sp/keywords takes at most this many items. */
export const MAX_KEYWORDS_PER_UPDATE = 1000;

export interface KeywordUpdateOutcome {
  /** Position in the caller's update list. */
  index: number;
  keywordId: string;
  ok: boolean;
  /** Amazon's per-item errors (empty when ok, or when the whole request failed). */
  errors: KeywordMutationError[];
  /** Set when the request carrying this item failed as a whole: the item was not applied. */
  requestError?: { code: ErrorCode; httpStatus: number | undefined; message: string };
  /** The updated keyword, when asked for with returnRepresentation. */
  keyword?: SpKeyword;
}

export interface KeywordUpdateResult {
  /** One outcome per update, in the caller's order. */
  outcomes: KeywordUpdateOutcome[];
  succeeded: KeywordUpdateOutcome[];
  failed: KeywordUpdateOutcome[];
}

export interface KeywordUpdateOptions {
  /** Items per PUT (1…1000, default 1000). */
  chunkSize?: number;
  /** Send Prefer: return=representation and keep the updated keywords. */
  returnRepresentation?: boolean;
}

/**
 * PUT /sp/keywords in chunks of ≤ 1000, one chunk after the other. The answer is 207
 * Multi-Status: every item's success or error is recorded under the caller's index. A chunk
 * that fails as a whole (retries exhausted, 400) marks its items failed with requestError
 * and the next chunks still go: the updates are absolute values, so re-sending is safe.
 */
export async function updateKeywords(
  transport: AdsTransport,
  profileId: string,
  updates: readonly KeywordUpdate[],
  options: KeywordUpdateOptions = {},
): Promise<KeywordUpdateResult> {
  const chunkSize = options.chunkSize ?? MAX_KEYWORDS_PER_UPDATE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_KEYWORDS_PER_UPDATE) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `chunkSize must be an integer in 1…${MAX_KEYWORDS_PER_UPDATE}, got ${chunkSize}`,
      { field: "chunkSize" },
    );
  }
  const outcomes: KeywordUpdateOutcome[] = [];
  for (let start = 0; start < updates.length; start += chunkSize) {
    const chunk = updates.slice(start, start + chunkSize);
    outcomes.push(...(await updateChunk(transport, profileId, chunk, start, options.returnRepresentation ?? false)));
  }
  return {
    outcomes,
    succeeded: outcomes.filter((o) => o.ok),
    failed: outcomes.filter((o) => !o.ok),
  };
}

async function updateChunk(
  transport: AdsTransport,
  profileId: string,
  chunk: readonly KeywordUpdate[],
  offset: number,
  returnRepresentation: boolean,
): Promise<KeywordUpdateOutcome[]> {
  const operation = "PUT /sp/keywords";
  let body: unknown;
  try {
    const response = await transport.call({
      method: "PUT",
      path: "/sp/keywords",
      profileId,
      mediaType: MEDIA_TYPES.spKeyword,
      body: { keywords: chunk.map(wireUpdate) },
      ...(returnRepresentation ? { headers: { prefer: "return=representation" } } : {}),
    });
    body = response.body;
  } catch (error) {
    if (!(error instanceof AmazonAdsError)) throw error;
    const requestError = { code: error.code, httpStatus: error.httpStatus, message: error.message };
    return chunk.map((u, i) => ({ index: offset + i, keywordId: u.keywordId, ok: false, errors: [], requestError }));
  }

  const result = (body as { keywords?: { success?: unknown; error?: unknown } } | undefined)?.keywords;
  if (result === undefined || result === null || typeof result !== "object") {
    throw new AmazonAdsError("BANDITRY_AMAZON_ADS_BAD_RESPONSE", `${operation} answered without "keywords"`, {
      body,
      operation,
    });
  }
  const byIndex = new Map<number, KeywordUpdateOutcome>();
  for (const item of asArray(result.success)) {
    const i = item["index"];
    if (!isIndex(i, chunk.length)) continue;
    const outcome: KeywordUpdateOutcome = { index: offset + i, keywordId: chunk[i]!.keywordId, ok: true, errors: [] };
    if (item["keyword"] !== undefined) outcome.keyword = item["keyword"] as SpKeyword;
    byIndex.set(i, outcome);
  }
  for (const item of asArray(result.error)) {
    const i = item["index"];
    if (!isIndex(i, chunk.length)) continue;
    const errors = Array.isArray(item["errors"]) ? (item["errors"] as KeywordMutationError[]) : [];
    byIndex.set(i, { index: offset + i, keywordId: chunk[i]!.keywordId, ok: false, errors });
  }
  return chunk.map(
    (u, i) =>
      byIndex.get(i) ?? {
        // An item Amazon did not report on: we cannot claim it was applied.
        index: offset + i,
        keywordId: u.keywordId,
        ok: false,
        errors: [
          {
            errorType: "otherError",
            errorValue: {
              otherError: { reason: "OTHER_ERROR", message: "item missing from the 207 response" },
            },
          },
        ],
      },
  );
}

function wireUpdate(u: KeywordUpdate): KeywordUpdate {
  const out: KeywordUpdate = { keywordId: u.keywordId };
  if (u.bid !== undefined) out.bid = u.bid;
  if (u.state !== undefined) out.state = u.state;
  return out;
}

function asArray(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((v) => v !== null && typeof v === "object") : [];
}

function isIndex(value: unknown, length: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value < length;
}

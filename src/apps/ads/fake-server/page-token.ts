import { createHash } from "node:crypto";

/** JSON with object keys sorted, so equal filters give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

function filterHash(filter: unknown): string {
  return createHash("sha256").update(canonicalJson(filter)).digest("base64url").slice(0, 16);
}

/** An opaque nextToken: the offset of the next page, bound to the filter it was made for. */
export function encodePageToken(offset: number, filter: unknown): string {
  return Buffer.from(JSON.stringify({ o: offset, f: filterHash(filter) })).toString("base64url");
}

/** The offset a nextToken points at, or undefined when it is garbage or made for another filter. */
export function decodePageToken(token: string, filter: unknown): number | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown; f?: unknown };
    return typeof t.o === "number" && Number.isInteger(t.o) && t.o >= 0 && t.f === filterHash(filter) ? t.o : undefined;
  } catch {
    return undefined;
  }
}

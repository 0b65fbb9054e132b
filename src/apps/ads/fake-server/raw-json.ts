/**
 * JSON text in which bigint values are written as bare integer literals, the way Amazon
 * writes int64 ids (profileId in /v2/profiles, ids in report files): exact however large.
 */
export function stringifyWithRawIntegers(value: unknown): string {
  const marked = JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? `\u0000int:${v}\u0000` : v));
  return marked.replace(/"\\u0000int:(-?\d+)\\u0000"/g, "$1");
}

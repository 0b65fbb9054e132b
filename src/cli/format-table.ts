/** Left-aligned columns separated by two spaces, with a header row; no trailing spaces. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[header, ...rows].map(line).join("\n")}\n`;
}

/** Epoch ms as ISO 8601 (UTC), "-" for null. */
export function isoTime(ms: number | null): string {
  return ms === null ? "-" : new Date(ms).toISOString();
}

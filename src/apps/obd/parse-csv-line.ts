/**
 * Fields of one CSV line (RFC 4180: comma-separated, double quotes around a field that holds
 * commas or quotes, "" for a quote inside). A trailing \r is dropped. Quoted line breaks are
 * not supported: the reader splits on lines first (OBD files have none).
 */
export function parseCsvLine(line: string): string[] {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  if (!text.includes('"')) return text.split(",");
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

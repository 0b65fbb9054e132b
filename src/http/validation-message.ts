/**
 * Turns one ajv error (as Fastify reports it) into a field path and a message that names the
 * field and the bad value: `arms[0].id must be string, got 5`.
 */

export interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** "/arms/0/id" → "arms[0].id" */
export function fieldFromPointer(pointer: string, child?: string): string {
  const parts = pointer === "" ? [] : pointer.slice(1).split("/");
  if (child !== undefined) parts.push(child);
  let out = "";
  for (const raw of parts) {
    const p = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (/^\d+$/.test(p)) out += `[${p}]`;
    else out += out === "" ? p : "." + p;
  }
  return out;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  let v: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return v;
}

/** A short, safe rendering of a client value for an error message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length} items`;
  if (typeof v === "object") return "an object";
  if (typeof v === "string") {
    const s = v.length > 60 ? v.slice(0, 60) + `… (${v.length} characters)` : v;
    return JSON.stringify(s);
  }
  return String(v);
}

export function describeAjvError(
  error: AjvErrorLike,
  context: string,
  data: unknown,
): { field: string; message: string } {
  const params = error.params;
  // A field is named by its path inside the body, or by its own name in params and query.
  if (error.keyword === "required") {
    const field = fieldFromPointer(error.instancePath, String(params.missingProperty));
    return { field, message: `${field} is required` };
  }
  if (error.keyword === "additionalProperties") {
    const field = fieldFromPointer(error.instancePath, String(params.additionalProperty));
    const where = error.instancePath === "" ? context : fieldFromPointer(error.instancePath);
    return { field, message: `${field} is not a known field of ${where}` };
  }
  const field = fieldFromPointer(error.instancePath) || context;
  const value = describeValue(valueAt(data, error.instancePath));
  if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
    return {
      field,
      message: `${field} must be one of ${params.allowedValues.map((a) => JSON.stringify(a)).join(", ")}; got ${value}`,
    };
  }
  if (error.keyword === "type" && error.instancePath === "" && data === undefined) {
    return { field, message: `${context} is required (a JSON ${String(params.type)})` };
  }
  return { field, message: `${field} ${error.message ?? "is invalid"}; got ${value}` };
}

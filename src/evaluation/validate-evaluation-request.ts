import {
  invalid,
  isPlainObject,
  readArray,
  readNumber,
  readObject,
  readString,
  rejectUnknownKeys,
} from "../domain/validate.js";
import type { CandidatePolicy, EvaluationRequest } from "./evaluation-types.js";

export const MAX_CANDIDATES = 20;
const MAX_ARGUMENTS = 4096;
const FIELDS = ["experimentId", "name", "from", "to", "policies", "seed"];

/** A time: epoch milliseconds, or an ISO 8601 string. */
function readTime(v: unknown, field: string): number {
  if (typeof v === "string") {
    const ms = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : Number.NaN;
    if (!Number.isFinite(ms))
      invalid(field, `must be epoch milliseconds or an ISO 8601 time, got ${JSON.stringify(v)}`);
    return ms;
  }
  return readNumber(v, field, { integer: true, min: 0 });
}

/**
 * An evaluation request from untrusted input: experimentId; name (default "evaluation");
 * from (default 0) and to (default now + 1 ms, so "now" is included) as epoch ms or ISO 8601,
 * from < to; 1..20 policies {name, arguments?: string | object}; seed an unsigned 32-bit integer.
 * Throws BANDITRY_VALIDATION naming the field.
 */
export function validateEvaluationRequest(
  input: unknown,
  now: number,
  defaultSeed: number,
): Required<EvaluationRequest> {
  const o = readObject(input, "body");
  rejectUnknownKeys(o, FIELDS, "");
  const experimentId = readString(o.experimentId, "experimentId");
  const name = o.name === undefined ? "evaluation" : readString(o.name, "name");
  const from = o.from === undefined ? 0 : readTime(o.from, "from");
  const to = o.to === undefined ? now + 1 : readTime(o.to, "to");
  if (!(from < to)) invalid("to", `must be after from (${new Date(from).toISOString()})`);
  const list = readArray(o.policies, "policies", { min: 1, max: MAX_CANDIDATES });
  const policies = list.map((p, i): CandidatePolicy => {
    const field = `policies[${i}]`;
    const item = readObject(p, field);
    rejectUnknownKeys(item, ["name", "arguments"], field);
    const policyName = readString(item.name, `${field}.name`);
    const args = item.arguments;
    if (args === undefined || args === null) return { name: policyName };
    if (typeof args === "string") {
      return { name: policyName, arguments: readString(args, `${field}.arguments`, { min: 0, max: MAX_ARGUMENTS }) };
    }
    if (!isPlainObject(args)) invalid(`${field}.arguments`, "must be a string or an object");
    return { name: policyName, arguments: args };
  });
  const seed =
    o.seed === undefined ? defaultSeed : readNumber(o.seed, "seed", { integer: true, min: 0, max: 0xffffffff });
  return { experimentId, name, from, to, policies, seed };
}

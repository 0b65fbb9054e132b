import { BanditryError } from "../domain/errors.js";
import { readArray, readObject } from "../domain/validate.js";
import type { EvaluationRecord, EvaluationService, PolicyEvaluation } from "../evaluation/evaluation-types.js";
import { type DurationStyle, formatDuration } from "./personalizer-duration.js";

/** Personalizer's PolicyResultSummary, one per policy over the whole range. */
export interface PolicyResultSummary {
  timeStamp: string;
  ipsEstimatorNumerator: number;
  ipsEstimatorDenominator: number;
  snipsEstimatorDenominator: number;
  aggregateTimeWindow: string;
  nonZeroProbability?: number;
  confidenceInterval?: number;
  averageReward: number;
}

export interface PolicyResult {
  name: string;
  arguments: string;
  policySource: "Online" | "Baseline" | "Random" | "Custom" | "OfflineExperimentation";
  summary: PolicyResultSummary[];
  totalSummary: PolicyResultSummary;
}

export interface EvaluationOutput {
  id: string;
  name: string;
  startTime: string;
  endTime: string;
  jobId: string;
  status: "completed" | "pending" | "failed";
  policyResults?: PolicyResult[];
  featureImportance?: string[][];
  evaluationType: "Manual";
  optimalPolicy?: string;
  creationTime: string;
}

const STATUS = { pending: "pending", running: "pending", succeeded: "completed", failed: "failed" } as const;

function argumentsText(args: unknown): string {
  if (args === undefined) return "";
  return typeof args === "string" ? args : JSON.stringify(args);
}

function summary(record: EvaluationRecord, r: PolicyEvaluation, style: DurationStyle): PolicyResultSummary {
  return {
    timeStamp: new Date(record.from).toISOString(),
    ipsEstimatorNumerator: r.ipsEstimatorNumerator,
    ipsEstimatorDenominator: r.ipsEstimatorDenominator,
    snipsEstimatorDenominator: r.snipsEstimatorDenominator,
    aggregateTimeWindow: formatDuration((record.to - record.from) / 1000, style),
    nonZeroProbability: r.events,
    // half-width of the 95% interval of the IPS estimate
    confidenceInterval: (r.ips.upper - r.ips.lower) / 2,
    averageReward: r.ips.value,
  };
}

/** banditry's evaluation record as Personalizer's Evaluation (the logged policy's value as the "Online" result). */
export function evaluationOutput(record: EvaluationRecord, style: DurationStyle): EvaluationOutput {
  const out: EvaluationOutput = {
    id: record.id,
    name: record.name,
    startTime: new Date(record.from).toISOString(),
    endTime: new Date(record.to).toISOString(),
    jobId: record.id,
    status: STATUS[record.status],
    evaluationType: "Manual",
    creationTime: new Date(record.createdAt).toISOString(),
  };
  if (record.results === null) return out;
  const results: PolicyResult[] = record.results.map((r) => {
    const s = summary(record, r, style);
    return {
      name: r.policy.name,
      arguments: argumentsText(r.policy.arguments),
      policySource: "Custom",
      summary: [s],
      totalSummary: s,
    };
  });
  const first = record.results[0];
  if (record.loggedAverageReward !== null && first !== undefined) {
    const n = first.events;
    const s: PolicyResultSummary = {
      timeStamp: new Date(record.from).toISOString(),
      ipsEstimatorNumerator: record.loggedAverageReward * n,
      ipsEstimatorDenominator: n,
      snipsEstimatorDenominator: n,
      aggregateTimeWindow: formatDuration((record.to - record.from) / 1000, style),
      nonZeroProbability: n,
      averageReward: record.loggedAverageReward,
    };
    results.unshift({ name: "Online", arguments: "", policySource: "Online", summary: [s], totalSummary: s });
  }
  out.policyResults = results;
  let best: PolicyEvaluation | undefined;
  for (const r of record.results) if (best === undefined || r.ips.value > best.ips.value) best = r;
  if (best !== undefined) out.optimalPolicy = best.policy.name;
  const importance = record.results.flatMap((r) => (r.featureImportance ?? []).map((f) => f.name));
  if (importance.length > 0) out.featureImportance = [[...new Set(importance)]];
  return out;
}

/**
 * A Personalizer EvaluationContract → banditry's evaluation request for the loop. No policies
 * means the loop's current learning settings alone.
 */
export function evaluationRequest(
  loopId: string,
  body: unknown,
  currentPolicy: { name: string; arguments: string },
): Record<string, unknown> {
  const o = readObject(body, "body");
  const policies =
    o.policies === undefined || o.policies === null || (Array.isArray(o.policies) && o.policies.length === 0)
      ? [currentPolicy]
      : readArray(o.policies, "policies");
  if (o.startTime === undefined || o.endTime === undefined) {
    throw new BanditryError("BANDITRY_VALIDATION", "startTime and endTime are required", {
      field: o.startTime === undefined ? "startTime" : "endTime",
    });
  }
  return {
    experimentId: loopId,
    name: o.name ?? "evaluation",
    from: o.startTime,
    to: o.endTime,
    policies,
  };
}

/** The evaluation, if it belongs to the loop (another loop's id reads as unknown). */
export async function loopEvaluation(
  evaluations: EvaluationService,
  loopId: string,
  id: string,
): Promise<EvaluationRecord> {
  const record = await evaluations.get(id);
  if (record.experimentId !== loopId) {
    throw new BanditryError("BANDITRY_EVALUATION_NOT_FOUND", `no evaluation ${JSON.stringify(id)} in this loop`, {
      field: "evaluationId",
    });
  }
  return record;
}

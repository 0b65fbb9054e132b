/**
 * Faults the local server injects, each for the next `times` matching requests (after
 * skipping `skip` of them). Generic faults act before the route runs; the others are
 * consumed by the route they concern (keyword update, report creation).
 */
export type FaultSpec =
  /** 429 with Retry-After (seconds; omitted when retryAfterSeconds is null). */
  | { kind: "throttle"; retryAfterSeconds?: number | null }
  /** 5xx with the API's error body (default 500). */
  | { kind: "serverError"; status?: 500 | 502 | 503 | 504 }
  /** Every access token issued so far expires before this request is checked. */
  | { kind: "expireTokens" }
  /** The connection is destroyed without an answer. */
  | { kind: "dropConnection" }
  /** PUT /sp/keywords: these item indices (default: every other one) fail. */
  | { kind: "partialFailure"; indices?: number[]; errorType?: "internalServerError" | "throttledError" }
  /** POST /reporting/reports: the report ends FAILED. */
  | { kind: "failReport"; reason?: string }
  /** POST /reporting/reports: the report takes this long to complete. */
  | { kind: "slowReport"; delayMs: number }
  /** POST /reporting/reports: answered 425 naming an identical report already in progress. */
  | { kind: "duplicateReport" };

export interface FaultRule {
  fault: FaultSpec;
  /** "METHOD /route" as registered (e.g. "PUT /sp/keywords"); default: any route. */
  route?: string;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** Matching requests to let through first (default 0). */
  skip?: number;
}

const GENERIC = new Set<FaultSpec["kind"]>(["throttle", "serverError", "expireTokens", "dropConnection"]);

const DEFAULT_ROUTE: Partial<Record<FaultSpec["kind"], string>> = {
  partialFailure: "PUT /sp/keywords",
  failReport: "POST /reporting/reports",
  slowReport: "POST /reporting/reports",
  duplicateReport: "POST /reporting/reports",
};

interface ActiveRule {
  fault: FaultSpec;
  route: string | undefined;
  remaining: number;
  skip: number;
}

export class FaultController {
  private rules: ActiveRule[] = [];
  /** Faults applied so far, by kind. */
  readonly applied: Record<string, number> = {};

  add(...rules: FaultRule[]): void {
    for (const r of rules) {
      this.rules.push({
        fault: r.fault,
        route: r.route ?? DEFAULT_ROUTE[r.fault.kind],
        remaining: r.times ?? 1,
        skip: r.skip ?? 0,
      });
    }
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules not yet used up. */
  pending(): number {
    return this.rules.reduce((n, r) => n + r.remaining, 0);
  }

  /** The generic fault for this request, if one is due (consumes it). */
  takeGeneric(route: string): FaultSpec | undefined {
    return this.take(route, (k) => GENERIC.has(k));
  }

  /** A route-specific fault of one of these kinds, if one is due (consumes it). */
  takeSpecific<K extends FaultSpec["kind"]>(
    route: string,
    kinds: readonly K[],
  ): Extract<FaultSpec, { kind: K }> | undefined {
    return this.take(route, (k) => (kinds as readonly string[]).includes(k)) as
      | Extract<FaultSpec, { kind: K }>
      | undefined;
  }

  private take(route: string, accept: (kind: FaultSpec["kind"]) => boolean): FaultSpec | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || !accept(rule.fault.kind)) continue;
      if (rule.route !== undefined && rule.route !== route) continue;
      if (rule.skip > 0) {
        rule.skip--;
        continue;
      }
      rule.remaining--;
      this.rules = this.rules.filter((r) => r.remaining > 0);
      this.applied[rule.fault.kind] = (this.applied[rule.fault.kind] ?? 0) + 1;
      return rule.fault;
    }
    return undefined;
  }
}

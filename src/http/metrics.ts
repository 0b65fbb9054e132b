import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** What the engine exposes about its group commit (read at scrape time). */
export interface EngineStatsSource {
  readonly commitStats: { readonly batches: number; readonly events: number; readonly lastBatchSize: number };
}

/**
 * The Prometheus metrics of one server, in its own registry (several apps can live in one
 * process, e.g. in tests). Label children are cached: the hot path does a Map lookup, not
 * prom-client's label hashing.
 */
export interface Metrics {
  readonly registry: Registry;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  countDecision(experimentId: string, group: string): void;
  countReward(status: string, n?: number): void;
  /** For the engine's group commit: events per written batch and the time the write took. */
  observeCommit(events: number, seconds: number): void;
  /** Exposes an engine's group-commit totals (mean batch size = rate(events) / rate(commits)). */
  trackEngine(engine: EngineStatsSource): void;
}

export interface MetricsOptions {
  /** Node process metrics (CPU, memory, event-loop lag, GC). */
  defaultMetrics?: boolean;
}

type Child = { inc(n?: number): void };
type HistChild = { observe(v: number): void };

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: "banditry_" });

  const requests = new Counter({
    name: "banditry_http_requests_total",
    help: "HTTP requests by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "banditry_http_request_duration_seconds",
    help: "HTTP request latency by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const decisions = new Counter({
    name: "banditry_decisions_total",
    help: "Decisions served, by experiment and group",
    labelNames: ["experiment", "group"] as const,
    registers: [registry],
  });
  const rewards = new Counter({
    name: "banditry_rewards_total",
    help: "Rewards received, by outcome (applied, stored, duplicate, unknown, invalid)",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  const commitSize = new Histogram({
    name: "banditry_group_commit_events",
    help: "Events (decisions, rewards, activations) per group-commit transaction",
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
    registers: [registry],
  });
  const commitSeconds = new Histogram({
    name: "banditry_group_commit_duration_seconds",
    help: "Time to write one group-commit transaction",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });

  const requestChildren = new Map<string, { count: Child; latency: HistChild }>();
  const decisionChildren = new Map<string, Child>();
  const rewardChildren = new Map<string, Child>();

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const key = method + " " + status + " " + route;
      let c = requestChildren.get(key);
      if (c === undefined) {
        const labels = { method, route, status: String(status) };
        c = { count: requests.labels(labels), latency: duration.labels(labels) };
        requestChildren.set(key, c);
      }
      c.count.inc();
      c.latency.observe(seconds);
    },
    countDecision(experimentId, group) {
      const key = group + " " + experimentId;
      let c = decisionChildren.get(key);
      if (c === undefined) {
        c = decisions.labels({ experiment: experimentId, group });
        decisionChildren.set(key, c);
      }
      c.inc();
    },
    countReward(status, n = 1) {
      let c = rewardChildren.get(status);
      if (c === undefined) {
        c = rewards.labels({ status });
        rewardChildren.set(status, c);
      }
      c.inc(n);
    },
    observeCommit(events, seconds) {
      commitSize.observe(events);
      commitSeconds.observe(seconds);
    },
    trackEngine(engine) {
      // Totals kept by the engine: each scrape copies them (a counter's value can only be set by reset + inc).
      new Counter({
        name: "banditry_engine_group_commits_total",
        help: "Group-commit transactions written by the engine",
        registers: [registry],
        collect() {
          this.reset();
          this.inc(engine.commitStats.batches);
        },
      });
      new Counter({
        name: "banditry_engine_committed_events_total",
        help: "Decisions, rewards and activations written through group commit",
        registers: [registry],
        collect() {
          this.reset();
          this.inc(engine.commitStats.events);
        },
      });
      new Gauge({
        name: "banditry_engine_last_group_commit_events",
        help: "Events in the most recent group commit",
        registers: [registry],
        collect() {
          this.set(engine.commitStats.lastBatchSize);
        },
      });
    },
  };
}

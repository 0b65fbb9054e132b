import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { LabeledCounter } from "./metrics/labeled-counter.js";
import { LabeledHistogram } from "./metrics/labeled-histogram.js";

/** What the engine exposes about its group commit (read at scrape time). */
export interface EngineStatsSource {
  readonly commitStats: { readonly batches: number; readonly events: number; readonly lastBatchSize: number };
}

/**
 * The Prometheus metrics of one server, in its own registry (several apps can live in one
 * process, e.g. in tests). Per-request metrics are plain numbers found by a string key: no
 * label hashing or validation on the hot path.
 */
export interface Metrics {
  readonly registry: Registry;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** observeRequest for one route, with its series cached by status: the per-request path. */
  routeObserver(method: string, route: string): (status: number, seconds: number) => void;
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

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: "banditry_" });

  const requests = new LabeledCounter(
    registry,
    "banditry_http_requests_total",
    "HTTP requests by method, route template and status",
  );
  const duration = new LabeledHistogram(
    registry,
    "banditry_http_request_duration_seconds",
    "HTTP request latency by method, route template and status",
    LATENCY_BUCKETS,
  );
  const decisions = new LabeledCounter(
    registry,
    "banditry_decisions_total",
    "Decisions served, by experiment and group",
  );
  const rewards = new LabeledCounter(
    registry,
    "banditry_rewards_total",
    "Rewards received, by outcome (accepted by the single route; applied, stored, duplicate, unknown, invalid in batches)",
  );
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

  function series(method: string, route: string, status: number) {
    const key = method + " " + status + " " + route;
    let count = requests.find(key);
    let latency = duration.find(key);
    if (count === undefined || latency === undefined) {
      const labels = { method, route, status: String(status) };
      count ??= requests.add(key, labels);
      latency ??= duration.add(key, labels);
    }
    return { count, latency };
  }

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const s = series(method, route, status);
      s.count.value++;
      duration.observe(s.latency, seconds);
    },
    routeObserver(method, route) {
      const byStatus = new Map<number, ReturnType<typeof series>>();
      return (status, seconds) => {
        let s = byStatus.get(status);
        if (s === undefined) {
          s = series(method, route, status);
          byStatus.set(status, s);
        }
        s.count.value++;
        duration.observe(s.latency, seconds);
      };
    },
    countDecision(experimentId, group) {
      const key = group + " " + experimentId;
      (decisions.find(key) ?? decisions.add(key, { experiment: experimentId, group })).value++;
    },
    countReward(status, n = 1) {
      (rewards.find(status) ?? rewards.add(status, { status })).value += n;
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

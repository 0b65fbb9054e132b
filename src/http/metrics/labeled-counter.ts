import type { Registry } from "prom-client";

/** One labeled series: a plain number, so counting costs no label hashing. */
export interface CounterSeries {
  readonly labels: Readonly<Record<string, string>>;
  value: number;
}

/**
 * A Prometheus counter whose series are looked up by a caller-made key (prom-client hashes
 * the label object on every inc, even on a cached child). Rendered by prom-client's registry.
 */
export class LabeledCounter {
  readonly type = "counter";
  readonly aggregator = "sum";
  private readonly series = new Map<string, CounterSeries>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
  ) {
    registry.registerMetric(this as never);
  }

  /** The series of a key, if it exists yet. */
  find(key: string): CounterSeries | undefined {
    return this.series.get(key);
  }

  add(key: string, labels: Record<string, string>): CounterSeries {
    const s = { labels, value: 0 };
    this.series.set(key, s);
    return s;
  }

  get() {
    const values = [...this.series.values()].map((s) => ({ labels: s.labels, value: s.value }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}

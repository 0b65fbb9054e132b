import type { Registry } from "prom-client";

export interface HistogramSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** Non-cumulative counts per bucket (the last one is +Inf). */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram with caller-keyed series (see LabeledCounter): observing is a Map
 * lookup, a short bucket scan and three additions. Rendered by prom-client's registry.
 */
export class LabeledHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    registry.registerMetric(this as never);
  }

  /** The series of a key, if it exists yet. */
  find(key: string): HistogramSeries | undefined {
    return this.series.get(key);
  }

  add(key: string, labels: Record<string, string>): HistogramSeries {
    const s = { labels, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
    this.series.set(key, s);
    return s;
  }

  observe(s: HistogramSeries, value: number): void {
    const b = this.buckets;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.buckets.length; i++) {
        cumulative += s.counts[i]!;
        const le = i < this.buckets.length ? this.buckets[i]! : "+Inf";
        values.push({ labels: { le, ...s.labels }, value: cumulative, metricName: `${this.name}_bucket` });
      }
      values.push({ labels: { ...s.labels }, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...s.labels }, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}

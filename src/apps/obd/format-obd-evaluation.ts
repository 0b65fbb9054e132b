import type { ValueInterval } from "../../stats/evaluation/on-policy-value.js";
import type { ObdEvaluation } from "./evaluate-obd.js";

const LABELS = { ips: "IPS", snips: "SNIPS", dr: "DR" } as const;

/** The campaigns side by side, one row per figure, as the bench and a CLI print them. */
export function formatObdEvaluation(result: ObdEvaluation): string {
  const cs = result.campaigns;
  const pct = `${Math.round(result.level * 100)}%`;
  const interval = (v: ValueInterval) => `${v.value.toFixed(5)} [${v.lower.toFixed(5)}, ${v.upper.toFixed(5)}]`;
  const rows: string[][] = [["", ...cs.map((c) => c.campaign)]];
  const row = (label: string, cell: (c: (typeof cs)[number]) => string) => rows.push([label, ...cs.map(cell)]);
  row("items / random records / bts records", (c) => `${c.items} / ${c.randomRecords} / ${c.btsRecords}`);
  row("MC draws for π_e(item | position)", (c) => `${c.actionDistribution.draws} (seed ${c.actionDistribution.seed})`);
  for (const k of ["ips", "snips", "dr"] as const) {
    row(`${LABELS[k]} BTS click rate on random logs, ${pct} CI`, (c) => interval(c.estimates[k]));
  }
  row(`on-policy BTS click rate (bts logs), ${pct} CI`, (c) => interval(c.onPolicy));
  row(`random policy click rate (random logs), ${pct} CI`, (c) => interval(c.randomPolicy));
  row("on-policy value inside CI: IPS / SNIPS / DR", (c) =>
    (["ips", "snips", "dr"] as const).map((k) => (c.onPolicyInside[k] ? "yes" : "no")).join(" / "),
  );
  row(
    "ESS / max weight (IPS)",
    (c) => `${c.estimates.ips.effectiveSampleSize.toFixed(0)} / ${c.estimates.ips.maxWeight.toFixed(2)}`,
  );
  row("DR reward model prior strength per fold", (c) =>
    c.rewardModel?.kind === "action-mean"
      ? c.rewardModel.priorStrengths.map((m) => (Number.isFinite(m) ? m.toFixed(0) : "∞")).join(" ")
      : "given",
  );
  row("bts logged propensity vs MC π_e: means, mean |diff|", (c) => {
    const p = c.btsLoggedPropensities;
    return `${p.meanLogged.toFixed(4)} vs ${p.meanMonteCarlo.toFixed(4)}, ${p.meanAbsoluteDifference.toFixed(4)}`;
  });
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  const interval0 = cs[0]?.estimates.ips.interval ?? "normal";
  return [
    `Open Bandit Dataset (${result.dir})`,
    `target: the BTS policy, π_e(item | position) by ${cs[0]?.actionDistribution.source ?? "Monte Carlo"}`,
    `estimand: click rate per impression; intervals: ${interval0 === "normal" ? "normal approximation (SNIPS by the delta method)" : "bootstrap percentiles"}`,
    ...rows.map((r) =>
      r
        .map((cell, j) => cell.padEnd(widths[j]!))
        .join("  ")
        .trimEnd(),
    ),
  ].join("\n");
}

import type { Command } from "commander";
import { evaluateObd } from "../apps/obd/evaluate-obd.js";
import { formatObdEvaluation } from "../apps/obd/format-obd-evaluation.js";
import { createEvaluationService } from "../evaluation/create-evaluation-service.js";
import type { CandidatePolicy, Estimate, EvaluationRecord } from "../evaluation/evaluation-types.js";
import { integerAtLeast, integerBetween } from "./flag-parsers.js";
import { formatTable } from "./format-table.js";
import { addStoreOptions, configFromFlags, type StoreFlags } from "./store-options.js";
import { addTimeRangeFlags, checkTimeRange, type TimeRangeFlags } from "./time-range-flags.js";
import { UsageError } from "./usage-error.js";
import { withStores } from "./with-stores.js";

interface EvaluateFlags extends StoreFlags, TimeRangeFlags {
  experiment?: string;
  policy?: string[];
  seed?: number;
  json?: boolean;
  obd?: string | true;
  draws?: number;
}

const EVALUATE_HELP = `
Candidates (--policy, repeatable; default: current, thompson and uniform, or current for a linear experiment):
  segment experiments   thompson | top-two-thompson | ucb1 | epsilon-greedy | uniform | fixed:<armId> | current
                        with arguments after "=": --policy "epsilon-greedy=--epsilon 0.2", --policy "thompson=--draws 1000"
  linear experiments    any name; arguments are linear options as JSON or a Vowpal Wabbit command line:
                        --policy 'wide=--epsilon 0.1 --lambda 2 --noise 0.25 -b 8 -q :: --draws 500'
                        (also --no-interactions; other flags are ignored and listed)
  current               the experiment's own configuration
Each candidate is replayed over the decisions of [--from, --to) in time order, learning their rewards as
they arrived; only decisions logged with a propensity count. The evaluation is saved (see GET /v1/evaluations).

--obd [dir] evaluates the Open Bandit Dataset sample instead (default ../shared/data/obd next to the
repository): the Bernoulli TS policy's click rate estimated from the uniform-random logs by IPS, SNIPS
and DR, beside the TS logs' own click rate, for both campaigns.`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** "name" or "name=arguments" (arguments a command line, or a JSON object when they start with "{"). */
function parsePolicy(spec: string): CandidatePolicy {
  const eq = spec.indexOf("=");
  if (eq === 0) throw new UsageError("--policy", `a policy needs a name before "=": ${JSON.stringify(spec)}`);
  if (eq < 0) return { name: spec };
  const name = spec.slice(0, eq);
  const args = spec.slice(eq + 1).trim();
  if (!args.startsWith("{")) return { name, arguments: args };
  try {
    return { name, arguments: JSON.parse(args) as Record<string, unknown> };
  } catch {
    throw new UsageError("--policy", `the arguments of ${JSON.stringify(name)} are not valid JSON: ${args}`);
  }
}

const cell = (e: Estimate | null | undefined) =>
  e === null || e === undefined || !Number.isFinite(e.value)
    ? "-"
    : `${e.value.toFixed(4)} [${e.lower.toFixed(4)}, ${e.upper.toFixed(4)}]`;

/** The estimates of every candidate beside the logged policy's own average reward. */
export function formatEvaluation(record: EvaluationRecord): string {
  const d = record.decisions;
  const lines = [
    `evaluation ${record.id} of experiment ${record.experimentId}: ${record.from === 0 ? "the beginning" : new Date(record.from).toISOString()} to ${new Date(record.to).toISOString()}`,
  ];
  if (d !== null && d !== undefined) {
    const counted = d.total - d.withoutPropensity - d.withoutFeatures;
    const features = d.withoutFeatures > 0 ? `, ${d.withoutFeatures} without features` : "";
    lines.push(
      `decisions: ${d.total} logged, ${counted} counted (${d.withoutPropensity} without a propensity${features})`,
    );
  }
  lines.push(`on-policy (logged policy) average reward, 95% CI: ${cell(record.loggedAverage ?? null)}`, "");
  const rows = (record.results ?? []).map((r) => [
    r.policy.name,
    String(r.events),
    cell(r.ips),
    cell(r.snips),
    cell(r.doublyRobust),
    r.effectiveSampleSize.toFixed(0),
  ]);
  let text = `${lines.join("\n")}\n${formatTable(["POLICY", "EVENTS", "IPS [95% CI]", "SNIPS [95% CI]", "DR [95% CI]", "ESS"], rows)}`;
  for (const r of record.results ?? []) {
    if ((r.ignoredArguments ?? []).length > 0)
      text += `${r.policy.name}: ignored arguments ${r.ignoredArguments!.join(" ")}\n`;
    if (r.featureImportance !== undefined && r.featureImportance.length > 0) {
      const top = r.featureImportance.slice(0, 5).map((f) => `${f.name} ${f.weight.toFixed(3)}`);
      text += `${r.policy.name}: top features ${top.join(", ")}\n`;
    }
  }
  return text;
}

/** `banditry evaluate`: offline evaluation of candidate policies on the logged decisions, or of the OBD sample. */
export function registerEvaluate(program: Command): void {
  const cmd = addTimeRangeFlags(
    program
      .command("evaluate")
      .description("Estimate candidate policies' value from logged decisions (IPS, SNIPS, doubly robust, 95% CIs)")
      .option("--experiment <id>", "the experiment whose logged decisions are replayed"),
    "decision",
    "; default now",
  )
    .option("--policy <name[=arguments]>", "a candidate policy (repeatable)", collect)
    .option("--seed <n>", "seed of the Monte Carlo parts (default 1)", integerBetween(0, 0xffffffff))
    .option("--obd [dir]", "evaluate the Open Bandit Dataset sample instead of an experiment")
    .option(
      "--draws <n>",
      "--obd: Monte Carlo draws for the TS policy's action distribution (default 100000)",
      integerAtLeast(1),
    )
    .option("--json", "print the evaluation as JSON");
  addStoreOptions(cmd)
    .addHelpText("after", EVALUATE_HELP)
    .action(async (flags: EvaluateFlags, command: Command) => {
      const out = command.configureOutput();
      if (flags.obd !== undefined) {
        if (flags.experiment !== undefined)
          throw new UsageError("--obd", "give either --obd or --experiment, not both");
        const result = await evaluateObd({
          ...(typeof flags.obd === "string" ? { dir: flags.obd } : {}),
          ...(flags.draws === undefined ? {} : { draws: flags.draws }),
          ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        });
        out.writeOut!(flags.json ? `${JSON.stringify(result)}\n` : `${formatObdEvaluation(result)}\n`);
        return;
      }
      if (flags.experiment === undefined) throw new UsageError("--experiment", "is required (or --obd)");
      checkTimeRange(flags);
      const experimentId = flags.experiment;
      const named = (flags.policy ?? []).map(parsePolicy);
      const config = configFromFlags(flags);
      const record = await withStores(
        config,
        async (stores) => {
          const experiment = await stores.experimentStore.get(experimentId);
          if (experiment === undefined)
            throw new UsageError("--experiment", `no experiment ${JSON.stringify(experimentId)}`);
          const defaults = experiment.context === "linear" ? ["current"] : ["current", "thompson", "uniform"];
          const policies = named.length > 0 ? named : defaults.map((name) => ({ name }));
          const service = createEvaluationService({ stores });
          try {
            return await service.run({
              experimentId,
              name: "banditry evaluate",
              policies,
              ...(flags.from === undefined ? {} : { from: flags.from }),
              ...(flags.to === undefined ? {} : { to: flags.to }),
              ...(flags.seed === undefined ? {} : { seed: flags.seed }),
            });
          } finally {
            await service.close();
          }
        },
        { mustExist: true },
      );
      if (record.status === "failed") throw new Error(`evaluation failed: ${record.error?.message ?? "unknown"}`);
      out.writeOut!(flags.json ? `${JSON.stringify(record)}\n` : formatEvaluation(record));
    });
}

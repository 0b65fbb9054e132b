import { type Command, InvalidArgumentError, Option } from "commander";
import { isBanditryError } from "../domain/errors.js";
import type { PolicyOptions } from "../stats/policies/policy.js";
import { DEFAULT_POLICY, POLICY_KINDS } from "../stats/policies/registry.js";
import { linearCheckpoints, logCheckpoints } from "../stats/simulation/checkpoints.js";
import {
  type DriftSpec,
  type EnvironmentSpec,
  gapMeans,
  type RewardKind,
} from "../stats/simulation/environment-spec.js";
import { type SimulationResult, simulate } from "../stats/simulation/simulate.js";
import { integerAtLeast, numberAtLeast, numberBetween, parseNumber, parseNumberList } from "./flag-parsers.js";
import { ProgressBar } from "./progress-bar.js";
import { UsageError } from "./usage-error.js";

interface SimulateFlags {
  policy: string;
  arms: number;
  best: number;
  gap: number;
  probs?: number[];
  reward: RewardKind;
  sd: number;
  horizon: number;
  reps: number;
  batch: number;
  delay: number;
  drift: DriftSpec[];
  decayHalfLife?: number;
  seed: number;
  checkpoints: string;
  epsilon?: number;
  ucbC?: number;
  topTwoBeta?: number;
  json?: boolean;
}

/** Churned-in arms draw p from Beta(4, 4), as in Chapelle & Li (2011). */
const CHURN_PRIOR = { alpha: 4, beta: 4 };

const DRIFT_HELP = `
Drift (--drift, repeatable; the world is seeded apart from the policy, so runs with the
same --seed face the same world):
  walk:<sigma>            before every step each arm's mean moves by N(0, sigma^2),
                          clamped to [0, 1] for Bernoulli arms
  change:<t>[,<t>...]     before step t (0-based) the arm means are reversed: arm i takes
                          arm K-1-i's mean, so the best arm becomes a worst one
  churn:<rate>[:<a>,<b>]  before every step, with probability rate, one arm is replaced by a
                          new arm with mean ~ Beta(a, b) (default 4,4, as in Chapelle & Li
                          2011); its posterior restarts from the prior
  e.g. --drift walk:0.001 --drift change:50000

Regret is the pseudo-regret sum over t of (best mean at t - mean of the arm played at t).
Lai-Robbins: C = sum over non-best arms of gap_i / KL(p_i, p*), from the initial means.`;

/** Parses one --drift value and appends it to the ones before. */
export function parseDrift(value: string, previous: DriftSpec[] = []): DriftSpec[] {
  const [kind, arg, extra] = value.split(":");
  const bad = (why: string): never => {
    throw new InvalidArgumentError(`${why} Expected walk:<sigma>, change:<t>[,<t>...] or churn:<rate>[:<a>,<b>].`);
  };
  if (arg === undefined || arg === "") bad(`Missing the value after "${kind}:".`);
  let spec: DriftSpec;
  if (kind === "walk") {
    if (extra !== undefined) bad("walk takes one value.");
    const sigma = Number(arg);
    if (!(Number.isFinite(sigma) && sigma >= 0)) bad(`walk sigma must be a number >= 0, got "${arg}".`);
    spec = { kind: "walk", sigma };
  } else if (kind === "change") {
    if (extra !== undefined) bad("change takes a comma-separated list of steps.");
    const at = arg!.split(",").map((s) => (s.trim() === "" ? Number.NaN : Number(s)));
    at.forEach((t, i) => {
      if (!(Number.isSafeInteger(t) && t >= 0)) bad(`change step ${i + 1} must be an integer >= 0, got "${arg}".`);
      if (i > 0 && t <= at[i - 1]!) bad(`change steps must increase, got "${arg}".`);
    });
    spec = { kind: "change", at };
  } else if (kind === "churn") {
    const rate = Number(arg);
    if (!(Number.isFinite(rate) && rate >= 0 && rate <= 1)) bad(`churn rate must be in [0, 1], got "${arg}".`);
    let prior = CHURN_PRIOR;
    if (extra !== undefined) {
      const ab = extra.split(",").map(Number);
      if (ab.length !== 2 || !ab.every((x) => Number.isFinite(x) && x > 0)) {
        bad(`churn Beta parameters must be two numbers > 0, got "${extra}".`);
      }
      prior = { alpha: ab[0]!, beta: ab[1]! };
    }
    spec = { kind: "churn", rate, ...prior };
  } else {
    return bad(`Unknown drift "${kind}".`);
  }
  return [...previous, spec];
}

function seedOf(value: string): number {
  const n = integerAtLeast(0)(value);
  if (n > 0xffffffff) throw new InvalidArgumentError("Must be an integer from 0 to 4294967295.");
  return n;
}

function parseCheckpointSpacing(value: string): string {
  if (!/^(log|linear)(:[1-9][0-9]*)?$/.test(value)) {
    throw new InvalidArgumentError("Expected log[:<per decade>] or linear[:<count>].");
  }
  return value;
}

/** Maps the field named by a library error to the flag that set it. */
const FLAG_OF_FIELD: Record<string, string> = {
  policy: "--policy",
  horizon: "--horizon",
  reps: "--reps",
  seed: "--seed",
  batch: "--batch",
  delay: "--delay",
  decayHalfLife: "--decay-half-life",
  drift: "--drift",
  means: "--probs",
  sd: "--sd",
  epsilon: "--epsilon",
  ucbC: "--ucb-c",
  topTwoBeta: "--top-two-beta",
  checkpoints: "--checkpoints",
};

export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("Simulate a bandit policy on synthetic arms and report its regret")
    .addOption(new Option("--policy <kind>", "policy").choices(POLICY_KINDS).default(DEFAULT_POLICY))
    .option("--arms <K>", "number of arms", integerAtLeast(1), 10)
    .option("--best <p>", "mean of the best arm", parseNumber, 0.5)
    .option("--gap <g>", "the other arms have mean best - gap (Chapelle & Li 2011)", numberAtLeast(0), 0.1)
    .option("--probs <list>", "explicit arm means, e.g. 0.7,0.8,0.9 (replaces --arms, --best, --gap)", parseNumberList)
    .addOption(
      new Option("--reward <kind>", "reward distribution of every arm")
        .choices(["bernoulli", "gaussian"])
        .default("bernoulli"),
    )
    .option("--sd <sigma>", "noise sd of Gaussian rewards", numberAtLeast(0, true), 1)
    .option("--horizon <T>", "steps per rep", integerAtLeast(1), 10000)
    .option("--reps <R>", "independent reps", integerAtLeast(1), 20)
    .option(
      "--batch <b>",
      "posterior refreshed every b steps; rewards of a batch applied at its end",
      integerAtLeast(1),
      1,
    )
    .option(
      "--delay <d>",
      "reward of step t applied after the decision of step t+d (0: immediate)",
      integerAtLeast(0),
      0,
    )
    .addOption(
      new Option("--drift <spec>", "drifting arms: walk:<sigma>, change:<t>[,<t>...] or churn:<rate> (see below)")
        .argParser(parseDrift)
        .default([], "none"),
    )
    .option(
      "--decay-half-life <steps>",
      "decay the posteriors' evidence with this half-life, in steps (default: none)",
      numberAtLeast(0, true),
    )
    .option("--seed <S>", "run seed, 0 to 2^32-1; rep r uses seeds derived from (S, r)", seedOf, 1)
    .option(
      "--checkpoints <spacing>",
      "regret checkpoints: log[:<per decade>] or linear[:<count>]",
      parseCheckpointSpacing,
      "log:4",
    )
    .option("--epsilon <e>", "epsilon-greedy: exploration probability", numberBetween(0, 1))
    .option("--ucb-c <c>", "ucb1: exploration constant", numberAtLeast(0))
    .option("--top-two-beta <b>", "top-two-thompson: probability of playing the leader", numberBetween(0, 1))
    .option("--json", "print one JSON object instead of a table")
    .addHelpText("after", DRIFT_HELP)
    .action((flags: SimulateFlags, cmd: Command) => {
      const environment = environmentOf(flags, cmd);
      const horizon = flags.horizon;
      const [spacing, count] = flags.checkpoints.split(":");
      const checkpoints =
        spacing === "linear"
          ? linearCheckpoints(horizon, count ? Number(count) : 10)
          : logCheckpoints(horizon, count ? Number(count) : 4);
      const policyOptions: PolicyOptions = {};
      if (flags.epsilon !== undefined) policyOptions.epsilon = flags.epsilon;
      if (flags.ucbC !== undefined) policyOptions.ucbC = flags.ucbC;
      if (flags.topTwoBeta !== undefined) policyOptions.topTwoBeta = flags.topTwoBeta;
      const bar = new ProgressBar(process.stderr, "simulating");
      const started = performance.now();
      let result: SimulationResult;
      try {
        result = simulate({
          environment,
          policy: flags.policy,
          policyOptions,
          horizon,
          reps: flags.reps,
          seed: flags.seed,
          batch: flags.batch,
          delay: flags.delay,
          decayHalfLife: flags.decayHalfLife,
          checkpoints,
          onProgress: (done, total) => bar.update(done, total),
        });
      } catch (e) {
        if (isBanditryError(e) && e.field !== undefined) {
          const flag = FLAG_OF_FIELD[e.field.split(/[.[]/)[0]!];
          if (flag) throw new UsageError(flag, e.message);
        }
        throw e;
      } finally {
        bar.done();
      }
      const wallSeconds = (performance.now() - started) / 1000;
      const out = flags.json ? `${JSON.stringify(toJson(result, wallSeconds))}\n` : formatTable(result, wallSeconds);
      cmd.configureOutput().writeOut?.(out);
    });
}

function environmentOf(flags: SimulateFlags, cmd: Command): EnvironmentSpec {
  const bernoulli = flags.reward === "bernoulli";
  const given = (name: string): boolean => cmd.getOptionValueSource(name) === "cli";
  let means: number[];
  if (flags.probs) {
    if (given("arms") && flags.arms !== flags.probs.length) {
      throw new UsageError("--arms", `${flags.arms} disagrees with the ${flags.probs.length} values of --probs`);
    }
    if (given("best") || given("gap")) throw new UsageError("--probs", "give either --probs or --best/--gap, not both");
    means = flags.probs;
    if (bernoulli) {
      means.forEach((p, i) => {
        if (p < 0 || p > 1) throw new UsageError("--probs", `item ${i + 1} is ${p}; Bernoulli means must be in [0, 1]`);
      });
    }
  } else {
    if (bernoulli && (flags.best < 0 || flags.best > 1)) {
      throw new UsageError("--best", `must be in [0, 1] for Bernoulli rewards, got ${flags.best}`);
    }
    if (bernoulli && flags.best - flags.gap < 0) {
      throw new UsageError("--gap", `best - gap must be >= 0 for Bernoulli rewards, got ${flags.best} - ${flags.gap}`);
    }
    means = gapMeans(flags.arms, flags.best, flags.gap);
  }
  for (const d of flags.drift) {
    if (d.kind === "change" && d.at[d.at.length - 1]! >= flags.horizon) {
      throw new UsageError("--drift", `change step ${d.at[d.at.length - 1]} is not before --horizon ${flags.horizon}`);
    }
  }
  return { reward: flags.reward, means, sd: flags.sd, drift: flags.drift };
}

/** The JSON report: the documented keys first, then extras. NaN (se of one rep) becomes null. */
function toJson(r: SimulationResult, wallSeconds: number): Record<string, unknown> {
  return {
    policy: r.policy,
    arms: r.arms,
    horizon: r.horizon,
    reps: r.reps,
    batch: r.batch,
    delay: r.delay,
    regret: r.regret,
    bestArmShare: r.bestArmShare,
    laiRobbins: r.laiRobbins,
    checkpoints: r.checkpoints,
    wallSeconds,
    reward: r.reward,
    means: r.means,
    seed: r.seed,
    decayHalfLife: r.decayHalfLife,
    drift: r.drift,
    repRegrets: r.repRegrets,
  };
}

const fmt = (x: number, digits = 1): string =>
  Number.isFinite(x)
    ? x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";

function describeArms(r: SimulationResult): string {
  const kind = r.reward === "bernoulli" ? "Bernoulli" : "Gaussian";
  const best = Math.max(...r.means);
  const others = r.means.filter((m) => m !== best);
  if (r.arms > 1 && others.length === r.arms - 1 && others.every((m) => m === others[0])) {
    return `${r.arms} ${kind} arms (best ${best}, others ${others[0]})`;
  }
  const list = r.arms <= 12 ? r.means.join(", ") : `${Math.min(...r.means)} … ${best}`;
  return `${r.arms} ${kind} arms (means ${list})`;
}

function describeDrift(drift: readonly DriftSpec[]): string {
  if (drift.length === 0) return "none";
  return drift
    .map((d) =>
      d.kind === "walk"
        ? `random walk sigma ${d.sigma}/step`
        : d.kind === "change"
          ? `means reversed at t = ${d.at.join(", ")}`
          : `churn ${d.rate}/step, new means ~ Beta(${d.alpha}, ${d.beta})`,
    )
    .join("; ");
}

function formatTable(r: SimulationResult, wallSeconds: number): string {
  const lines = [
    `${r.policy} on ${describeArms(r)}`,
    `T = ${r.horizon.toLocaleString("en-US")}, ${r.reps} reps, batch ${r.batch}, delay ${r.delay}, seed ${r.seed}`,
    `drift: ${describeDrift(r.drift)}; decay half-life: ${r.decayHalfLife ?? "none"}`,
    "",
    `regret (pseudo)   ${fmt(r.regret.mean)} ± ${fmt(r.regret.se)} se   (median ${fmt(r.regret.median)})`,
    `best-arm share    ${fmt(100 * r.bestArmShare)}%`,
    `Lai–Robbins       C = ${fmt(r.laiRobbins.C, 2)}   C·ln T = ${fmt(r.laiRobbins.ClnT)}`,
    "",
    `${"t".padStart(12)}  ${"regret".padStart(12)}  ${"± se".padStart(9)}`,
    ...r.checkpoints.map(
      (c) => `${c.t.toLocaleString("en-US").padStart(12)}  ${fmt(c.regretMean).padStart(12)}  ${fmt(c.se).padStart(9)}`,
    ),
    "",
    `wall ${wallSeconds.toFixed(2)} s`,
  ];
  return `${lines.join("\n")}\n`;
}

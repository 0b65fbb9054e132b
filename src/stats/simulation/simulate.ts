import { BanditryError, requireFinite } from "../../domain/errors.js";
import type { Policy, PolicyOptions } from "../policies/policy.js";
import { createPolicy } from "../policies/registry.js";
import type { BetaPrior, GaussianPrior, Posterior } from "../posteriors/posterior.js";
import { createPosterior } from "../posteriors/registry.js";
import { chooseArm } from "../ranking/choose-arm.js";
import { createRng } from "../rng.js";
import { logCheckpoints } from "./checkpoints.js";
import { Environment } from "./environment.js";
import { type DriftSpec, type EnvironmentSpec, type RewardKind, validateEnvironmentSpec } from "./environment-spec.js";
import { type LaiRobbins, laiRobbins } from "./lai-robbins.js";
import { repSeed } from "./rep-seed.js";
import { type Spread, summarize } from "./summarize.js";

export interface SimulationOptions {
  environment: EnvironmentSpec;
  /** Policy kind (see policies/registry.ts). */
  policy: string;
  policyOptions?: PolicyOptions;
  /** Prior of every arm's posterior: Beta for Bernoulli rewards, Normal-Inverse-Gamma for Gaussian (defaults of the posterior classes). */
  prior?: BetaPrior | GaussianPrior;
  horizon: number;
  reps: number;
  /** Run seed; rep r uses seeds derived from (seed, r). Default 1. */
  seed?: number;
  /** Posterior refreshed every `batch` steps (default 1): decisions in a batch use the posterior as of its start. */
  batch?: number;
  /** Reward of step t becomes available after the decision of step t + delay (default 0: before the next decision). */
  delay?: number;
  /** Evidence half-life in steps: at each refresh the posteriors decay by 0.5^(batch / halfLife). Default: no decay. */
  decayHalfLife?: number;
  /** Steps (1..horizon) at which the cumulative regret is recorded; default log-spaced, 4 per decade. */
  checkpoints?: readonly number[];
  /** Called now and then with the steps done over all reps. */
  onProgress?: (done: number, total: number) => void;
}

export interface Checkpoint {
  t: number;
  regretMean: number;
  se: number;
}

export interface SimulationResult {
  policy: string;
  reward: RewardKind;
  /** Number of arms K. */
  arms: number;
  /** Initial arm means. */
  means: number[];
  horizon: number;
  reps: number;
  seed: number;
  batch: number;
  delay: number;
  decayHalfLife: number | null;
  drift: DriftSpec[];
  /** Pseudo-regret Σ_t (p*_t − p_{a_t,t}) at the horizon, over reps. */
  regret: Spread;
  /** Mean over reps of the share of steps that pulled a best arm of that step. */
  bestArmShare: number;
  /** Lai–Robbins constant of the initial means (meaningful for a stationary world). */
  laiRobbins: LaiRobbins;
  checkpoints: Checkpoint[];
  /** Final regret of each rep, in rep order. */
  repRegrets: number[];
}

interface Resolved {
  env: EnvironmentSpec;
  policy: string;
  policyOptions: PolicyOptions;
  prior: BetaPrior | GaussianPrior | undefined;
  horizon: number;
  reps: number;
  seed: number;
  batch: number;
  delay: number;
  decayHalfLife: number | undefined;
  checkpoints: number[];
}

function requireInteger(field: string, value: number, min: number): number {
  requireFinite(field, value, { min });
  if (!Number.isInteger(value)) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be an integer, got ${value}`, { field });
  }
  return value;
}

function resolve(o: SimulationOptions): Resolved {
  const horizon = requireInteger("horizon", o.horizon, 1);
  if (horizon > 2 ** 31 - 1) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `horizon must be < 2^31, got ${horizon}`, {
      field: "horizon",
    });
  }
  const checkpoints = [...new Set(o.checkpoints ?? logCheckpoints(horizon))].sort((a, b) => a - b);
  for (const t of checkpoints) requireInteger("checkpoints", t, 1);
  if (checkpoints.length > 0 && checkpoints[checkpoints.length - 1]! > horizon) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `checkpoints must be <= horizon ${horizon}`, {
      field: "checkpoints",
    });
  }
  const halfLife = o.decayHalfLife;
  if (halfLife !== undefined) requireFinite("decayHalfLife", halfLife, { positive: true });
  createPolicy(o.policy, o.policyOptions); // fails early on an unknown kind or bad option
  return {
    env: validateEnvironmentSpec(o.environment, horizon),
    policy: o.policy,
    policyOptions: o.policyOptions ?? {},
    prior: o.prior,
    horizon,
    reps: requireInteger("reps", o.reps, 1),
    seed: requireInteger("seed", o.seed ?? 1, -(2 ** 31)),
    batch: requireInteger("batch", o.batch ?? 1, 1),
    delay: requireInteger("delay", o.delay ?? 0, 0),
    decayHalfLife: halfLife,
    checkpoints,
  };
}

function newPosterior(reward: RewardKind, prior: BetaPrior | GaussianPrior | undefined): Posterior {
  return reward === "bernoulli"
    ? createPosterior("beta", prior as BetaPrior | undefined)
    : createPosterior("gaussian", prior as GaussianPrior | undefined);
}

/**
 * Pending rewards are kept oldest first in a ring: at most delay + batch are outstanding, and never
 * more than the horizon (a delay or batch beyond it only means the feedback never arrives).
 */
function pendingCapacity(o: Resolved): number {
  return Math.min(o.delay, o.horizon) + Math.min(o.batch, o.horizon);
}

interface RepOutput {
  regret: number;
  bestArmShare: number;
}

/** Buffers reused across reps: the step loop allocates nothing. */
interface Scratch {
  scores: Float64Array;
  pendingArm: Int32Array;
  pendingStep: Int32Array;
  pendingGen: Int32Array;
  pendingReward: Float64Array;
  generation: Int32Array;
}

function runRep(
  o: Resolved,
  rep: number,
  policy: Policy,
  s: Scratch,
  cpOut: Float64Array,
  progress: () => void,
): RepOutput {
  const { horizon: T, batch, delay, checkpoints } = o;
  const env = new Environment(o.env, createRng(repSeed(o.seed, rep, 0)));
  const rng = createRng(repSeed(o.seed, rep, 1));
  const k = env.k;
  const posts: Posterior[] = [];
  for (let i = 0; i < k; i++) posts.push(newPosterior(o.env.reward, o.prior));
  const drifting = env.drifting;
  const means = env.means;
  const decay = o.decayHalfLife === undefined ? 1 : 0.5 ** (batch / o.decayHalfLife);
  const cap = pendingCapacity(o);
  const { scores, pendingArm, pendingStep, pendingGen, pendingReward, generation } = s;
  generation.fill(0);
  let head = 0;
  let size = 0;
  let regret = 0;
  let bestPulls = 0;
  let cp = 0;
  const nextCp = (): number => (cp < checkpoints.length ? checkpoints[cp]! : -1);
  let cpAt = nextCp();
  let untilBoundary = batch;

  for (let t = 0; t < T; t++) {
    if (drifting) {
      env.advance(t);
      const gone = env.replaced;
      if (gone >= 0) {
        posts[gone] = newPosterior(o.env.reward, o.prior);
        generation[gone]!++; // its pending rewards belong to the retired arm
      }
    }
    const a = chooseArm(policy, posts, rng, scores);
    const best = env.best;
    const m = means[a]!;
    regret += best - m;
    if (m === best) bestPulls++;
    let slot = head + size;
    if (slot >= cap) slot -= cap;
    pendingArm[slot] = a;
    pendingStep[slot] = t;
    pendingGen[slot] = generation[a]!;
    pendingReward[slot] = env.reward(a);
    size++;

    if (--untilBoundary === 0) {
      untilBoundary = batch;
      if (decay < 1) for (let i = 0; i < k; i++) posts[i]!.decay(decay);
      while (size > 0 && pendingStep[head]! + delay <= t) {
        const arm = pendingArm[head]!;
        if (pendingGen[head] === generation[arm]) posts[arm]!.update(pendingReward[head]!);
        if (++head === cap) head = 0;
        size--;
      }
    }
    if (t + 1 === cpAt) {
      cpOut[cp++] = regret;
      cpAt = nextCp();
    }
    if ((t & 0xffff) === 0xffff) progress();
  }
  return { regret, bestArmShare: bestPulls / T };
}

/** Raw results of reps [from, to), in rep order: what summarizeReps needs. Plain typed arrays, so they cross worker threads. */
export interface RepsRun {
  from: number;
  to: number;
  regrets: Float64Array;
  bestArmShares: Float64Array;
  /** Row-major (rep, checkpoint) cumulative regrets. */
  checkpointRegrets: Float64Array;
}

/**
 * Runs reps [from, to) of a simulation. A rep's result depends only on the options and its
 * index, so reps can be split across workers and merged with summarizeReps.
 */
export function runReps(options: SimulationOptions, from = 0, to = options.reps): RepsRun {
  const o = resolve(options);
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= o.reps)) {
    throw new BanditryError(
      "BANDITRY_INVALID_PARAMETER",
      `reps range must lie within [0, ${o.reps}], got [${from}, ${to})`,
      {
        field: "reps",
      },
    );
  }
  const k = o.env.means.length;
  const cap = pendingCapacity(o);
  const scratch: Scratch = {
    scores: new Float64Array(k),
    pendingArm: new Int32Array(cap),
    pendingStep: new Int32Array(cap),
    pendingGen: new Int32Array(cap),
    pendingReward: new Float64Array(cap),
    generation: new Int32Array(k),
  };
  const n = to - from;
  const nCp = o.checkpoints.length;
  const run: RepsRun = {
    from,
    to,
    regrets: new Float64Array(n),
    bestArmShares: new Float64Array(n),
    checkpointRegrets: new Float64Array(n * nCp),
  };
  const total = o.horizon * n;
  let done = 0;
  for (let i = 0; i < n; i++) {
    const policy = createPolicy(o.policy, o.policyOptions);
    const before = done;
    const progress = (): void => {
      done += 0x10000;
      options.onProgress?.(done, total);
    };
    const out = runRep(o, from + i, policy, scratch, run.checkpointRegrets.subarray(i * nCp, (i + 1) * nCp), progress);
    done = before + o.horizon;
    options.onProgress?.(done, total);
    run.regrets[i] = out.regret;
    run.bestArmShares[i] = out.bestArmShare;
  }
  return run;
}

/** Summarises runs that together cover reps [0, options.reps) exactly once. */
export function summarizeReps(options: SimulationOptions, runs: readonly RepsRun[]): SimulationResult {
  const o = resolve(options);
  const nCp = o.checkpoints.length;
  const regrets = new Float64Array(o.reps);
  const shares = new Float64Array(o.reps);
  const cpRegret = new Float64Array(o.reps * nCp);
  const covered = new Uint8Array(o.reps);
  for (const run of runs) {
    for (let r = run.from; r < run.to; r++) {
      if (covered[r]!++)
        throw new BanditryError("BANDITRY_INVALID_PARAMETER", `rep ${r} given twice`, { field: "reps" });
    }
    regrets.set(run.regrets, run.from);
    shares.set(run.bestArmShares, run.from);
    cpRegret.set(run.checkpointRegrets, run.from * nCp);
  }
  const missing = covered.indexOf(0);
  if (missing >= 0) throw new BanditryError("BANDITRY_INVALID_PARAMETER", `rep ${missing} missing`, { field: "reps" });
  const column = new Float64Array(o.reps);
  const checkpoints: Checkpoint[] = o.checkpoints.map((t, c) => {
    for (let r = 0; r < o.reps; r++) column[r] = cpRegret[r * nCp + c]!;
    const s = summarize(column);
    return { t, regretMean: s.mean, se: s.se };
  });
  return {
    policy: o.policy,
    reward: o.env.reward,
    arms: o.env.means.length,
    means: [...o.env.means],
    horizon: o.horizon,
    reps: o.reps,
    seed: o.seed,
    batch: o.batch,
    delay: o.delay,
    decayHalfLife: o.decayHalfLife ?? null,
    drift: [...(o.env.drift ?? [])],
    regret: summarize(regrets),
    bestArmShare: summarize(shares).mean,
    laiRobbins: laiRobbins(o.env.means, o.horizon, o.env.reward, o.env.sd ?? 1),
    checkpoints,
    repRegrets: [...regrets],
  };
}

/**
 * Runs `reps` independent bandit runs of `horizon` steps and summarises their pseudo-regret.
 * Deterministic: the same options give the same result.
 */
export function simulate(options: SimulationOptions): SimulationResult {
  return summarizeReps(options, [runReps(options)]);
}

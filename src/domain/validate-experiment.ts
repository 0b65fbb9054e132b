import { EVIDENCE_OPTIONS, resolveLinearThompsonOptions } from "../stats/linear/linear-thompson-options.js";
import type { PolicyKind, PolicyOptions } from "../stats/policies/policy.js";
import { createPolicy, DEFAULT_POLICY } from "../stats/policies/registry.js";
import { DEFAULT_BETA_PRIOR, validateBetaPrior } from "../stats/posteriors/beta-bernoulli.js";
import { DEFAULT_GAUSSIAN_PRIOR, validateGaussianPrior } from "../stats/posteriors/gaussian.js";
import type { BetaPrior, GaussianPrior } from "../stats/posteriors/posterior.js";
import { BanditryError, isBanditryError } from "./errors.js";
import type {
  Arm,
  ArmState,
  ContextMode,
  ControlConfig,
  ExperimentConfig,
  LearningMode,
  RewardModel,
} from "./experiment.js";
import {
  invalid,
  join,
  readArray,
  readEnum,
  readJsonValue,
  readNumber,
  readObject,
  readString,
  rejectUnknownKeys,
} from "./validate.js";

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:~-]*$/;
export const MAX_ARMS = 1000;
export const ARM_STATES: readonly ArmState[] = ["active", "paused", "retired"];
const MAX_WAIT_SECONDS = 30 * 86_400;
/** Squares of gaussian rewards and prior means are summed: keep them far from overflow. */
export const MAX_GAUSSIAN_MAGNITUDE = 1e12;
/**
 * Forward decay stores evidence × 2^(age / halfLife) and is re-based every few hundred
 * half-lives by the periodic refresh (every second): a half-life below a second could
 * overflow between two refreshes.
 */
export const MIN_DECAY_HALF_LIFE_SECONDS = 1;

const EXPERIMENT_KEYS = [
  "id",
  "name",
  "arms",
  "reward",
  "policy",
  "policyOptions",
  "prior",
  "decayHalfLife",
  "segmentKeys",
  "segmentPseudoCount",
  "control",
  "rewardWaitSeconds",
  "defaultReward",
  "rewardAggregation",
  "context",
  "linear",
  "explorationShare",
  "learningMode",
  "metadata",
] as const;
/** `context` cannot change (it decides what a decision is); segment keys and control are checked against it. */
const UPDATABLE_KEYS = EXPERIMENT_KEYS.filter((k) => k !== "id" && k !== "arms" && k !== "reward" && k !== "context");
export const LEARNING_MODES: readonly LearningMode[] = ["online", "apprentice", "loggingOnly"];
/** Largest serialized `metadata` (bytes of JSON). */
export const MAX_METADATA_BYTES = 16_384;

/**
 * The configuration fields a stored record may lack (written before linear experiments
 * existed), with the values such a record means.
 */
export const CONFIG_DEFAULTS: Readonly<
  Pick<ExperimentConfig, "context" | "linear" | "explorationShare" | "learningMode" | "metadata">
> = {
  context: "segments",
  linear: null,
  explorationShare: 0,
  learningMode: "online",
  metadata: {},
};

/** A stored configuration (possibly lacking the fields added later) with those fields' defaults filled in. */
export function withConfigDefaults(config: ExperimentConfig): ExperimentConfig {
  const out = { ...config };
  for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
    const k = key as keyof typeof CONFIG_DEFAULTS;
    if (out[k] === undefined) (out as Record<string, unknown>)[k] = k === "metadata" ? {} : value;
  }
  return out;
}

export interface ValidExperimentInput {
  id: string;
  name: string;
  arms: Omit<Arm, "createdAt" | "state">[];
  config: ExperimentConfig;
}

/** Validates a create-experiment body; every error names its field. */
export function validateExperimentInput(body: unknown): ValidExperimentInput {
  const o = readObject(body, "body");
  rejectUnknownKeys(o, EXPERIMENT_KEYS, "");
  const id = readString(o.id, "id", { max: 128, pattern: ID_PATTERN });
  const name = o.name === undefined ? id : readString(o.name, "name");
  const reward = readEnum<RewardModel>(o.reward, "reward", ["bernoulli", "gaussian"]);
  const arms = readArray(o.arms, "arms", { max: MAX_ARMS }).map((a, i) => validateArmInput(a, join("arms", i)));
  const seen = new Set<string>();
  arms.forEach((a, i) => {
    if (seen.has(a.id)) invalid(join(join("arms", i), "id"), `duplicates arm id ${JSON.stringify(a.id)}`);
    seen.add(a.id);
  });
  const context =
    o.context === undefined ? "segments" : readEnum<ContextMode>(o.context, "context", ["segments", "linear"]);
  const config = readConfig(o, reward, context, undefined, seen);
  return { id, name, arms, config };
}

/** Validates a PATCH body against the current configuration; returns the new name and config. */
export function validateExperimentUpdate(
  body: unknown,
  current: ExperimentConfig,
  armIds: ReadonlySet<string>,
): { name?: string; config: ExperimentConfig } {
  const o = readObject(body, "body");
  for (const k of ["id", "arms", "reward"]) {
    if (k in o) invalid(k, k === "arms" ? "cannot be patched; use the arms endpoints" : "cannot be changed");
  }
  rejectUnknownKeys(o, UPDATABLE_KEYS, "");
  const name = o.name === undefined ? undefined : readString(o.name, "name");
  if ("context" in o && o.context !== current.context) invalid("context", "cannot be changed");
  const config = readConfig(o, current.reward, current.context, current, armIds);
  return name === undefined ? { config } : { name, config };
}

/**
 * Whether an update changes what the linear model's evidence means (EVIDENCE_OPTIONS: the
 * dimension, the prior, the hashing, the features): the learned model cannot carry over and is
 * reset (the decision and reward logs stay).
 */
export function linearEvidenceChanged(before: ExperimentConfig, after: ExperimentConfig): boolean {
  if (before.context !== "linear" || after.context !== "linear") return false;
  const a = resolveLinearThompsonOptions(before.linear ?? {});
  const b = resolveLinearThompsonOptions(after.linear ?? {});
  return EVIDENCE_OPTIONS.some((k) => a[k] !== b[k]);
}

export function validateArmInput(v: unknown, field = "body"): Omit<Arm, "createdAt" | "state"> {
  const a = readObject(v, field);
  rejectUnknownKeys(a, ["id", "label", "value"], field === "body" ? "" : field);
  const id = readString(a.id, join(field === "body" ? "" : field, "id"), { max: 256 });
  const label = a.label === undefined || a.label === null ? null : readString(a.label, join(field, "label"));
  const value = a.value === undefined ? null : readJsonValue(a.value, join(field, "value"));
  return { id, label, value };
}

export function validateArmState(v: unknown): ArmState {
  const o = readObject(v, "body");
  rejectUnknownKeys(o, ["state"], "");
  return readEnum(o.state, "state", ARM_STATES);
}

/** A reward value valid for the model: [0, 1] for bernoulli, any finite real for gaussian. */
export function validateRewardValue(v: unknown, model: RewardModel, field = "value"): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new BanditryError(
      "BANDITRY_INVALID_REWARD",
      `${field} must be a finite number, got ${JSON.stringify(v) ?? String(v)}`,
      { field },
    );
  }
  if (model === "gaussian" && Math.abs(v) > MAX_GAUSSIAN_MAGNITUDE) {
    throw new BanditryError(
      "BANDITRY_INVALID_REWARD",
      `${field} must be within ±${MAX_GAUSSIAN_MAGNITUDE} for a gaussian experiment, got ${v}`,
      { field },
    );
  }
  if (model === "bernoulli" && (v < 0 || v > 1)) {
    throw new BanditryError(
      "BANDITRY_INVALID_REWARD",
      `${field} must be in [0, 1] for a bernoulli experiment, got ${v}`,
      { field },
    );
  }
  return v;
}

function readConfig(
  o: Record<string, unknown>,
  reward: RewardModel,
  context: ContextMode,
  current: ExperimentConfig | undefined,
  armIds: ReadonlySet<string>,
): ExperimentConfig {
  const pick = <K extends keyof ExperimentConfig>(
    key: K,
    read: (v: unknown) => ExperimentConfig[K],
    fallback: ExperimentConfig[K],
  ) => (o[key] === undefined ? (current ? current[key] : fallback) : read(o[key]));

  const policy = pick("policy", (v) => readString(v, "policy", { max: 64 }) as PolicyKind, DEFAULT_POLICY);
  const policyOptions = pick("policyOptions", (v) => readObject(v, "policyOptions") as PolicyOptions, {});
  rethrowAsValidation(
    () => createPolicy(policy, policyOptions),
    (f) => (f === "policy" ? f : join("policyOptions", f)),
  );
  const prior = pick(
    "prior",
    (v) => readPrior(v, reward),
    reward === "bernoulli" ? { ...DEFAULT_BETA_PRIOR } : { ...DEFAULT_GAUSSIAN_PRIOR },
  );
  const decayHalfLife = pick(
    "decayHalfLife",
    (v) => (v === null ? null : readNumber(v, "decayHalfLife", { min: MIN_DECAY_HALF_LIFE_SECONDS })),
    null,
  );
  const segmentKeys = pick(
    "segmentKeys",
    (v) => {
      const keys = readArray(v, "segmentKeys", { max: 16 }).map((k, i) =>
        readString(k, join("segmentKeys", i), { max: 128 }),
      );
      if (new Set(keys).size !== keys.length) invalid("segmentKeys", "must not repeat a key");
      return keys;
    },
    [],
  );
  const segmentPseudoCount = pick(
    "segmentPseudoCount",
    (v) => readNumber(v, "segmentPseudoCount", { min: 0, max: 1e9 }),
    10,
  );
  const control = pick("control", (v) => (v === null ? null : readControl(v, armIds)), null);
  const rewardWaitSeconds = pick(
    "rewardWaitSeconds",
    (v) => (v === null ? null : readNumber(v, "rewardWaitSeconds", { exclusiveMin: 0, max: MAX_WAIT_SECONDS })),
    null,
  );
  const defaultReward = pick(
    "defaultReward",
    (v) => (v === null ? null : validateReward(v, reward, "defaultReward")),
    null,
  );
  const rewardAggregation = pick(
    "rewardAggregation",
    (v) => readEnum(v, "rewardAggregation", ["earliest", "sum"]),
    "earliest",
  );
  // an update's options are merged into the current ones: {"linear": {"exploration": 0.5}} keeps the dimension
  const linear = pick(
    "linear",
    (v) => (context === "linear" ? readLinearOptions(v, current?.linear ?? null) : readNoLinear(v)),
    null,
  );
  const explorationShare = pick("explorationShare", (v) => readNumber(v, "explorationShare", { min: 0, max: 1 }), 0);
  const learningMode = pick("learningMode", (v) => readEnum(v, "learningMode", LEARNING_MODES), "online");
  const metadata = pick(
    "metadata",
    (v) => readJsonValue(readObject(v, "metadata"), "metadata", MAX_METADATA_BYTES) as Record<string, unknown>,
    {},
  );
  if (context === "linear") {
    if (segmentKeys.length > 0) {
      invalid("segmentKeys", "must be empty for a linear experiment (its context goes to the model as features)");
    }
  } else if (learningMode !== "online") {
    invalid("learningMode", `must be "online" unless context is "linear", got ${JSON.stringify(learningMode)}`);
  }
  return {
    reward,
    policy,
    policyOptions,
    prior,
    decayHalfLife,
    segmentKeys,
    segmentPseudoCount,
    control,
    rewardWaitSeconds,
    defaultReward,
    rewardAggregation,
    context,
    linear: context === "linear" ? (linear ?? {}) : null,
    explorationShare,
    learningMode,
    metadata,
  };
}

/**
 * LinearThompsonOptions as given (merged into the current ones on update), every value checked;
 * errors name `linear.<option>`. Unset options keep their defaults when the model is built, so
 * an engine-wide default (e.g. the rank's Monte Carlo draws) applies unless the experiment sets one.
 */
function readLinearOptions(v: unknown, current: Record<string, unknown> | null): Record<string, unknown> {
  if (v === null) return {};
  const merged = { ...(current ?? {}), ...readObject(v, "linear") };
  rethrowAsValidation(
    () => resolveLinearThompsonOptions(merged),
    (f) => join("linear", f),
  );
  return Object.fromEntries(Object.entries(merged).filter(([, x]) => x !== undefined));
}

function readNoLinear(v: unknown): null {
  if (v !== null) invalid("linear", 'is only for experiments with context "linear"');
  return null;
}

function validateReward(v: unknown, model: RewardModel, field: string): number {
  return rethrowAsValidation(
    () => validateRewardValue(v, model, field),
    (f) => f,
  );
}

function readPrior(v: unknown, reward: RewardModel): BetaPrior | GaussianPrior {
  const p = readObject(v, "prior");
  if (reward === "bernoulli") {
    rejectUnknownKeys(p, ["alpha", "beta"], "prior");
    const prior = { alpha: p.alpha ?? DEFAULT_BETA_PRIOR.alpha, beta: p.beta ?? DEFAULT_BETA_PRIOR.beta } as BetaPrior;
    return rethrowAsValidation(
      () => validateBetaPrior(prior),
      (f) => f,
    );
  }
  rejectUnknownKeys(p, ["mu", "kappa", "alpha", "beta"], "prior");
  const d = DEFAULT_GAUSSIAN_PRIOR;
  const prior = {
    mu: p.mu ?? d.mu,
    kappa: p.kappa ?? d.kappa,
    alpha: p.alpha ?? d.alpha,
    beta: p.beta ?? d.beta,
  } as GaussianPrior;
  if (typeof prior.mu === "number" && Math.abs(prior.mu) > MAX_GAUSSIAN_MAGNITUDE) {
    invalid("prior.mu", `must be within ±${MAX_GAUSSIAN_MAGNITUDE}, got ${prior.mu}`);
  }
  return rethrowAsValidation(
    () => validateGaussianPrior(prior),
    (f) => f,
  );
}

function readControl(v: unknown, armIds: ReadonlySet<string>): ControlConfig {
  const c = readObject(v, "control");
  rejectUnknownKeys(c, ["share", "policy", "arm"], "control");
  const share = readNumber(c.share, "control.share", { min: 0, max: 1 });
  if (c.policy !== undefined && c.arm !== undefined) invalid("control", "must have either policy or arm, not both");
  if (c.arm !== undefined) {
    const arm = readString(c.arm, "control.arm");
    if (!armIds.has(arm)) invalid("control.arm", `must name an arm of the experiment, got ${JSON.stringify(arm)}`);
    return { share, arm };
  }
  const policy = c.policy === undefined ? "uniform" : readEnum(c.policy, "control.policy", ["uniform"] as const);
  return { share, policy };
}

/** Parameter errors from the stats core become validation errors of the request field. */
function rethrowAsValidation<T>(fn: () => T, field: (f: string) => string): T {
  try {
    return fn();
  } catch (e) {
    if (isBanditryError(e)) {
      const f = field(e.field ?? "body");
      const code = e.code === "BANDITRY_INVALID_REWARD" ? "BANDITRY_INVALID_REWARD" : "BANDITRY_VALIDATION";
      throw new BanditryError(code, e.message.startsWith(f) ? e.message : `${f}: ${e.message}`, { field: f });
    }
    throw e;
  }
}

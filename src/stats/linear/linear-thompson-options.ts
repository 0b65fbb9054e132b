import { BanditryError, requireFinite } from "../../domain/errors.js";
import { DEFAULT_REFACTOR_BELOW, MIN_REFACTOR_BELOW } from "./bayesian-linear-regression.js";
import { DEFAULT_FEATURE_LIMITS } from "./flatten-features.js";

/**
 * Options of a LinearThompson model; every one has a default.
 *
 * Choosing `dimension` (d): the model keeps two dense d×d arrays (the Gram matrix and the
 * Cholesky factor: 16·d² bytes, 1 MiB at 256) and an update or a posterior draw costs O(d²),
 * a rank of K actions O(K·d²) (see src/stats/linear/README.md for measured times). Features
 * beyond d share slots (signed hashing makes collisions noise rather than bias), so d should be
 * of the order of the number of distinct features and interactions that matter, e.g. 4 user
 * types × 10 actions = 40 interactions plus main effects fit 256 comfortably; 1024 is the
 * largest practical size (≈ 16× slower than 256); beyond that a diagonal model is the tool.
 */
export interface LinearThompsonOptions {
  /** Hashed feature slots d (default 256, 1 ≤ d ≤ 2048). */
  dimension?: number;
  /** Prior precision λ of each weight, θ ~ N(0, λ⁻¹I) (default 1). */
  lambda?: number;
  /** Reward noise variance σ² (default 0.25, the largest variance of a reward in [0, 1]). */
  noiseVariance?: number;
  /** Multiplier v of the posterior spread in draws (default 1 = exact Thompson sampling; 0 = greedy). */
  exploration?: number;
  /** Add context × action interactions (default true). */
  interactions?: boolean;
  /** Add `act.id=<id>` to each action's features (default true). */
  actionIdFeature?: boolean;
  /** Seed of the feature hash, an unsigned 32-bit integer (default 0). */
  hashSeed?: number;
  /** Monte Carlo draws behind rank()'s probabilities (default 1000: standard error ≤ 0.016). */
  draws?: number;
  /**
   * Posterior draws M kept in a pool for the pool policy (rankFromPool; default 128): each rank's
   * probabilities are then exact multiples of 1/M, and a rank costs K·M sparse dot products.
   */
  poolSize?: number;
  /** Most feature names kept for explanations (default 4096). */
  maxNames?: number;
  /** Re-factorize once decay leaves less than this share of the prior in the factor (default 0.5; 1 = always, ≥ 0.001). */
  refactorBelow?: number;
  /** Deepest nesting of a feature object (default 8). */
  maxDepth?: number;
  /** Most features the context, or one action, may flatten to (default 256). */
  maxFeatures?: number;
  /** Longest key, string value or action id (default 256). */
  maxNameLength?: number;
  /** Most entries of one (context, action) vector, bias + context + action + interactions (default 4096). */
  maxVectorFeatures?: number;
  /** Most actions in one rank (default 256). */
  maxActions?: number;
}

export type ResolvedLinearThompsonOptions = Required<LinearThompsonOptions>;

export const MAX_DIMENSION = 2048;

export const DEFAULT_LINEAR_THOMPSON_OPTIONS: Readonly<ResolvedLinearThompsonOptions> = {
  dimension: 256,
  lambda: 1,
  noiseVariance: 0.25,
  exploration: 1,
  interactions: true,
  actionIdFeature: true,
  hashSeed: 0,
  draws: 1000,
  poolSize: 128,
  maxNames: 4096,
  refactorBelow: DEFAULT_REFACTOR_BELOW,
  maxDepth: DEFAULT_FEATURE_LIMITS.maxDepth,
  maxFeatures: DEFAULT_FEATURE_LIMITS.maxFeatures,
  maxNameLength: DEFAULT_FEATURE_LIMITS.maxNameLength,
  maxVectorFeatures: 4096,
  maxActions: 256,
};

type Rule = { kind: "number"; min: number; max: number; positive?: boolean; integer?: boolean } | { kind: "boolean" };

const int = (min: number, max: number): Rule => ({ kind: "number", min, max, integer: true });

const RULES: Record<keyof LinearThompsonOptions, Rule> = {
  dimension: int(1, MAX_DIMENSION),
  lambda: { kind: "number", min: 0, max: Number.MAX_VALUE, positive: true },
  noiseVariance: { kind: "number", min: 0, max: Number.MAX_VALUE, positive: true },
  exploration: { kind: "number", min: 0, max: 1e6 },
  interactions: { kind: "boolean" },
  actionIdFeature: { kind: "boolean" },
  hashSeed: int(0, 0xffffffff),
  draws: int(1, 1_000_000),
  poolSize: int(1, 65_536),
  maxNames: int(0, 1_000_000),
  refactorBelow: { kind: "number", min: MIN_REFACTOR_BELOW, max: 1 },
  maxDepth: int(1, 64),
  maxFeatures: int(1, 100_000),
  maxNameLength: int(1, 100_000),
  maxVectorFeatures: int(1, 10_000_000),
  maxActions: int(1, 100_000),
};

/** Defaults filled in, every value checked; an unknown option name is an error (a typo would be silently ignored). */
export function resolveLinearThompsonOptions(options: LinearThompsonOptions = {}): ResolvedLinearThompsonOptions {
  const out: Record<string, number | boolean> = { ...DEFAULT_LINEAR_THOMPSON_OPTIONS };
  for (const [name, value] of Object.entries(options)) {
    if (!Object.hasOwn(RULES, name)) {
      throw new BanditryError(
        "BANDITRY_INVALID_PARAMETER",
        `unknown linear model option "${name}"; known options: ${Object.keys(RULES).join(", ")}`,
        { field: name },
      );
    }
    if (value === undefined) continue;
    const rule = RULES[name as keyof LinearThompsonOptions];
    if (rule.kind === "boolean") {
      if (typeof value !== "boolean") {
        throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${name} must be a boolean, got ${String(value)}`, {
          field: name,
        });
      }
    } else {
      requireFinite(name, value as number, rule);
      if (rule.integer && !Number.isInteger(value)) {
        throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${name} must be an integer, got ${value}`, {
          field: name,
        });
      }
    }
    out[name] = value;
  }
  return out as ResolvedLinearThompsonOptions;
}

/** Options that decide what the evidence means: two models can merge only when these agree. */
export const EVIDENCE_OPTIONS = [
  "dimension",
  "lambda",
  "noiseVariance",
  "interactions",
  "actionIdFeature",
  "hashSeed",
] as const satisfies readonly (keyof LinearThompsonOptions)[];

import { BanditryError, requireFinite } from "../../domain/errors.js";
import { EpsilonGreedyPolicy } from "./epsilon-greedy.js";
import type { Policy, PolicyFactory, PolicyKind, PolicyOptions } from "./policy.js";
import { ThompsonPolicy } from "./thompson.js";
import { TopTwoThompsonPolicy } from "./top-two-thompson.js";
import { Ucb1Policy } from "./ucb1.js";
import { UniformPolicy } from "./uniform.js";

/** Every policy, by kind. Adding a policy is one file and one line here. */
export const POLICIES: Record<PolicyKind, PolicyFactory> = {
  thompson: () => new ThompsonPolicy(),
  "top-two-thompson": (o) => new TopTwoThompsonPolicy(o.topTwoBeta),
  ucb1: (o) => new Ucb1Policy(o.ucbC),
  "epsilon-greedy": (o) => new EpsilonGreedyPolicy(o.epsilon),
  uniform: () => new UniformPolicy(),
};

export const DEFAULT_POLICY: PolicyKind = "thompson";

export const POLICY_KINDS = Object.keys(POLICIES) as PolicyKind[];

export function isPolicyKind(kind: string): kind is PolicyKind {
  return Object.hasOwn(POLICIES, kind);
}

/** Bounds of every option, whichever policy it belongs to: a bad value is always an error. */
const OPTION_BOUNDS: Record<keyof PolicyOptions, { min: number; max?: number }> = {
  epsilon: { min: 0, max: 1 },
  topTwoBeta: { min: 0, max: 1 },
  ucbC: { min: 0 },
};

/** Checks option values and rejects unknown option names (a typo would otherwise be silently ignored). */
export function validatePolicyOptions(options: PolicyOptions): PolicyOptions {
  for (const [name, value] of Object.entries(options)) {
    if (!Object.hasOwn(OPTION_BOUNDS, name)) {
      throw new BanditryError(
        "BANDITRY_INVALID_PARAMETER",
        `unknown policy option "${name}"; known options: ${Object.keys(OPTION_BOUNDS).join(", ")}`,
        { field: name },
      );
    }
    if (value !== undefined) requireFinite(name, value, OPTION_BOUNDS[name as keyof PolicyOptions]);
  }
  return options;
}

export function createPolicy(kind: string, options: PolicyOptions = {}): Policy {
  if (!isPolicyKind(kind)) {
    throw new BanditryError(
      "BANDITRY_UNKNOWN_POLICY",
      `policy must be one of ${POLICY_KINDS.join(", ")}; got ${JSON.stringify(kind)}`,
      { field: "policy" },
    );
  }
  return POLICIES[kind](validatePolicyOptions(options));
}

import { BanditryError, isBanditryError } from "../domain/errors.js";
import { type LinearThompsonOptions, resolveLinearThompsonOptions } from "../stats/linear/linear-thompson-options.js";
import type { PolicyOptions } from "../stats/policies/policy.js";
import { isPolicyKind, POLICY_KINDS, validatePolicyOptions } from "../stats/policies/registry.js";
import type { ExperimentRecord } from "../stores/stores.js";
import type { CandidatePolicy } from "./evaluation-types.js";
import { parseLinearArguments } from "./parse-linear-arguments.js";
import { parseSegmentArguments } from "./parse-segment-arguments.js";
import type { ResolvedCandidate } from "./resolved-candidate.js";

/** Monte Carlo draws per decision for candidates without exact probabilities (thompson, top-two-thompson). */
export const DEFAULT_CANDIDATE_DRAWS = 500;
export const CURRENT_POLICY = "current";
export const FIXED_PREFIX = "fixed:";

/** Re-throws a library error with the candidate's field path in front of its own. */
function underField<T>(field: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (isBanditryError(e)) {
      const path = e.field === undefined ? field : `${field}.${e.field}`;
      throw new BanditryError("BANDITRY_VALIDATION", `${path}: ${e.message}`, { field: path });
    }
    throw e;
  }
}

/**
 * Checks a candidate against the experiment. Segment experiments: the name is a policy kind
 * (thompson, top-two-thompson, ucb1, epsilon-greedy, uniform), `fixed:<armId>`, or `current`
 * (the experiment's own policy, options and explorationShare); arguments are policy options
 * ({epsilon, topTwoBeta, ucbC, draws}) or a command line (parseSegmentArguments). Linear
 * experiments: any name; a LinearThompson candidate with the experiment's linear options,
 * overridden by arguments ({…LinearThompsonOptions, epsilon} or a VW command line,
 * parseLinearArguments); `current` takes the experiment's configuration as it is.
 */
export function resolveCandidate(
  policy: CandidatePolicy,
  experiment: ExperimentRecord,
  field: string,
): ResolvedCandidate {
  const args = policy.arguments;
  const current = policy.name === CURRENT_POLICY;
  if (experiment.context === "linear") {
    if (policy.name.startsWith(FIXED_PREFIX)) {
      throw new BanditryError(
        "BANDITRY_VALIDATION",
        `${field}.name: fixed:<armId> candidates are for segment experiments`,
        {
          field: `${field}.name`,
        },
      );
    }
    const base = (experiment.linear ?? {}) as LinearThompsonOptions;
    if (current || args === undefined) {
      return {
        kind: "linear",
        policy,
        options: underField(`${field}.arguments`, () => resolveLinearThompsonOptions(base)),
        explorationShare: current ? experiment.explorationShare : 0,
        ignored: [],
      };
    }
    let own: LinearThompsonOptions;
    let epsilon: number | undefined;
    let ignored: string[] = [];
    if (typeof args === "string") {
      const parsed = parseLinearArguments(args, `${field}.arguments`);
      own = parsed.options;
      epsilon = parsed.epsilon;
      ignored = parsed.ignored;
    } else {
      const { epsilon: e, ...rest } = args;
      if (e !== undefined && !(typeof e === "number" && e >= 0 && e <= 1)) {
        throw new BanditryError("BANDITRY_VALIDATION", `${field}.arguments.epsilon must be a number in [0, 1]`, {
          field: `${field}.arguments.epsilon`,
        });
      }
      epsilon = e as number | undefined;
      own = rest as LinearThompsonOptions;
    }
    const options = underField(`${field}.arguments`, () => resolveLinearThompsonOptions({ ...base, ...own }));
    return { kind: "linear", policy, options, explorationShare: epsilon ?? 0, ignored };
  }

  if (policy.name.startsWith(FIXED_PREFIX)) {
    const armId = policy.name.slice(FIXED_PREFIX.length);
    if (!experiment.arms.some((a) => a.id === armId)) {
      throw new BanditryError(
        "BANDITRY_VALIDATION",
        `${field}.name: experiment ${JSON.stringify(experiment.id)} has no arm ${JSON.stringify(armId)}`,
        { field: `${field}.name` },
      );
    }
    return {
      kind: "segment",
      policy,
      policyKind: null,
      policyOptions: {},
      fixedArm: armId,
      explorationShare: 0,
      draws: 0,
      ignored: [],
    };
  }
  const kind = current ? experiment.policy : policy.name;
  if (!isPolicyKind(kind)) {
    throw new BanditryError(
      "BANDITRY_UNKNOWN_POLICY",
      `${field}.name must be one of ${[...POLICY_KINDS, "fixed:<armId>", CURRENT_POLICY].join(", ")}; got ${JSON.stringify(policy.name)}`,
      { field: `${field}.name` },
    );
  }
  let options: PolicyOptions = current ? { ...experiment.policyOptions } : {};
  let draws = DEFAULT_CANDIDATE_DRAWS;
  let ignored: string[] = [];
  if (args !== undefined && !current) {
    if (typeof args === "string") {
      const parsed = parseSegmentArguments(args, `${field}.arguments`);
      options = parsed.options;
      draws = parsed.draws ?? draws;
      ignored = parsed.ignored;
    } else {
      const { draws: d, ...rest } = args;
      if (d !== undefined) draws = d as number;
      options = rest as PolicyOptions;
    }
  }
  if (!(Number.isInteger(draws) && draws >= 1 && draws <= 1e6)) {
    throw new BanditryError("BANDITRY_VALIDATION", `${field}.arguments.draws must be an integer 1..1e6, got ${draws}`, {
      field: `${field}.arguments.draws`,
    });
  }
  const policyOptions = underField(`${field}.arguments`, () => validatePolicyOptions(options));
  return {
    kind: "segment",
    policy,
    policyKind: kind,
    policyOptions,
    fixedArm: null,
    explorationShare: current ? experiment.explorationShare : 0,
    draws,
    ignored,
  };
}

import type { LinearThompsonOptions } from "../stats/linear/linear-thompson-options.js";
import type { PolicyKind, PolicyOptions } from "../stats/policies/policy.js";
import type { CandidatePolicy } from "./evaluation-types.js";

/** A candidate policy checked against its experiment: everything the replay needs. */
export type ResolvedCandidate =
  | {
      kind: "segment";
      policy: CandidatePolicy;
      /** null: a fixed arm. */
      policyKind: PolicyKind | null;
      policyOptions: PolicyOptions;
      fixedArm: string | null;
      /** Share of decisions spread uniformly over the arms (the experiment's explorationShare for "current"). */
      explorationShare: number;
      draws: number;
      ignored: string[];
    }
  | {
      kind: "linear";
      policy: CandidatePolicy;
      options: LinearThompsonOptions;
      explorationShare: number;
      ignored: string[];
    };

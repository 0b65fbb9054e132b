import { parsePolicyArguments } from "./policy-arguments.js";

/**
 * The linear model options a loop's policy sets, every one explicit: the engine merges an
 * update's options into the current ones, so a flag left out of a new policy must reset its
 * option rather than keep the previous policy's value.
 */
export const LOOP_LINEAR_DEFAULTS: Readonly<Record<string, number | boolean>> = {
  dimension: 256,
  lambda: 1,
  noiseVariance: 0.25,
  exploration: 1,
  interactions: false,
  hashSeed: 0,
  draws: 200,
};

/** A policy's arguments → the loop's linear options; throws BANDITRY_VALIDATION (field "arguments"). */
export function loopLinearOptions(args: string): Record<string, number | boolean> {
  return { ...LOOP_LINEAR_DEFAULTS, ...parsePolicyArguments(args).linear };
}

/**
 * q̂(x_i, a): the expected reward of action a in the context (and position) of logged record
 * i. Keyed by record rather than by context so that a cross-fitted model can answer each
 * record from a fit that did not see it.
 */
export interface RewardModel {
  predict(record: number, action: number): number;
}

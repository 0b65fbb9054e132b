import type { LinearStats } from "../decision-service.js";
import type { LinearLearner } from "./linear-learner.js";

/** Features listed in the stats, largest |weight| first. */
const TOP_FEATURES = 20;

/** What a linear experiment's model has learned, for ExperimentStats.linear. */
export function linearStats(learner: LinearLearner, mode: "online" | "apprentice" | "loggingOnly"): LinearStats {
  return {
    learnedRewards: learner.model.count,
    apprentice: mode === "apprentice" || learner.apprentice.decisions > 0 ? learner.apprentice : null,
    topFeatures: learner.model.topFeatures(TOP_FEATURES).map((f) => ({ name: f.name, weight: f.weight })),
  };
}

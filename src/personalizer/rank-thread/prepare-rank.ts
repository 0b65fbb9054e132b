import type { FeatureTextDigests } from "../../domain/feature-text-digests.js";
import { decisionFeaturesText } from "../../engine/linear/decision-features-text.js";
import { linearChoice } from "../../engine/linear/linear-choice.js";
import type { LinearRankSettings } from "../../engine/linear/linear-rank-state.js";
import { readLinearInput } from "../../engine/linear/read-linear-input.js";
import { newEventId } from "../../engine/new-event-id.js";
import type { LinearThompson } from "../../stats/linear/linear-thompson.js";
import type { PosteriorPool } from "../../stats/linear/posterior-pool.js";
import type { Rng } from "../../stats/rng.js";
import { readRankRequest } from "../rank-request.js";
import { rankTexts } from "./rank-texts.js";

/** A thread's copy of what a loop's ranks are decided from (see LinearRankState). */
export interface RankLoopCopy {
  model: LinearThompson;
  settings: LinearRankSettings;
  /** settings.inactive as a set. */
  inactive: ReadonlySet<string>;
  pool: PosteriorPool | undefined;
}

/** A rank body's decision, made from a copy of the loop's state, before it is logged. */
export interface PreparedRank {
  /** The body's eventId, else a new one (newEventId). */
  eventId: string;
  deferActivation: boolean;
  /** Offered action ids, in order. */
  ids: string[];
  /** Each offered action's probability of being served, in offered order. */
  probabilities: number[];
  /** Index of the served action. */
  served: number;
  /** The decision's log record: JSON.stringify(features) of the engine's decision. */
  featuresText: string;
  /** Decision.featureSpans of featuresText (empty when it has none). */
  featureSpans: number[];
  /** Decision.featureDigests (empty when featureSpans is). */
  featureDigests: (string | null)[];
  /** JSON.stringify of the engine's ranking ({armId, probability} per offered action, in order). */
  rankingText: string;
  /** The answer: JSON.stringify(rankResponse(…)) once the decision is logged. */
  responseText: string;
}

/**
 * A rank body (parsed), checked and decided as PersonalizerLoops.rank and the engine's linear
 * decision would: the same readers (the same errors, naming the same fields), the same choice
 * (linearChoice, the bandit group, the pool policy) from the same seed. Throws BanditryError.
 */
export function prepareRank(
  body: unknown,
  loop: RankLoopCopy,
  seed: number,
  rng: Rng,
  digests: FeatureTextDigests,
): PreparedRank {
  const { model, settings, pool } = loop;
  const req = readRankRequest(body);
  const lin = readLinearInput({
    experimentId: "",
    actions: req.actions,
    contextFeatures: req.contextFeatures ?? null,
    excludedActions: req.excludedActions,
  });
  if (pool === undefined && settings.learningMode !== "loggingOnly") {
    throw new RangeError("a prepared rank needs the pool unless the loop only logs");
  }
  rng.reseed(seed);
  const c = linearChoice(
    model,
    lin,
    {
      group: "bandit",
      control: null,
      explorationShare: settings.explorationShare,
      learningMode: settings.learningMode,
      draws: 0,
      inactive: loop.inactive,
      ...(pool === undefined ? {} : { pool }),
    },
    rng,
  );
  const ids = lin.actions.map((a) => a.id);
  const probabilities = c.ranking.map((r) => r.probability);
  // a generated id is a UUIDv7, as PersonalizerLoops.rank makes them
  const eventId = req.eventId ?? newEventId();
  // the ranking is c.ranking's ({armId, probability} per offered action, in order), the answer rankResponse's
  const { rankingText, responseText } = rankTexts(ids, probabilities, eventId, c.armId);
  const featureSpans: number[] = [];
  const featuresText = decisionFeaturesText(c.features, lin.featureTexts, featureSpans);
  const featureDigests = featureSpans.length > 0 ? digests.of(lin.featureTexts.actions, featureSpans) : [];
  return {
    eventId,
    responseText,
    deferActivation: req.deferActivation,
    ids,
    probabilities,
    served: ids.indexOf(c.armId),
    featuresText,
    featureSpans,
    featureDigests,
    rankingText,
  };
}

import { parentPort } from "node:worker_threads";
import { isBanditryError } from "../../domain/errors.js";
import { FeatureTextDigests } from "../../domain/feature-text-digests.js";
import { JsonBodyParser, MAX_JSON_DEPTH, TOO_DEEP, tooDeepError } from "../../http/json-body-parser.js";
import { LinearThompson } from "../../stats/linear/linear-thompson.js";
import { PosteriorPool } from "../../stats/linear/posterior-pool.js";
import { createRng } from "../../stats/rng.js";
import { prepareRank, type RankLoopCopy } from "./prepare-rank.js";
import type { FromRankThread, RankAnswer, ToRankThread, ToRankThreadBatch } from "./rank-thread-protocol.js";

/**
 * The rank thread (see RankThread): parses rank bodies, checks them and decides them from its
 * copies of the loops' settings, feature spaces and pools, which the main thread sends ahead
 * of the ranks that use them.
 */
const port = parentPort;
if (port === null) throw new Error("rank-thread-worker runs as a worker thread");

const loops = new Map<string, RankLoopCopy>();
const parser = new JsonBodyParser(MAX_JSON_DEPTH);
const rng = createRng(0);
/** This thread's memory of the action texts it met (Decision.featureDigests). */
const digests = new FeatureTextDigests();

function answer(message: FromRankThread): void {
  port!.postMessage(message);
}

function rank(id: number, loopId: string, text: string, seed: number): RankAnswer {
  const loop = loops.get(loopId);
  if (loop === undefined) return { t: "declined", id, reason: "no-loop" };
  let body: unknown;
  try {
    body = parser.parse(text);
  } catch {
    return { t: "declined", id, reason: "parse" }; // the main thread's parser words the error
  }
  try {
    if (body === TOO_DEEP) throw tooDeepError();
    const r = prepareRank(body, loop, seed, rng, digests);
    return { t: "ranked", id, ...r };
  } catch (e) {
    if (isBanditryError(e)) return { t: "refused", id, code: e.code, message: e.message, field: e.field };
    return { t: "declined", id, reason: "failed", detail: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

function apply(m: ToRankThread, answers: RankAnswer[]): void {
  switch (m.t) {
    case "rank":
      answers.push(rank(m.id, m.loop, m.text, m.seed));
      return;
    case "state": {
      const old = loops.get(m.loop);
      const model =
        old !== undefined && JSON.stringify(old.model.options) === JSON.stringify(m.options)
          ? old.model
          : new LinearThompson(m.options);
      loops.set(m.loop, {
        model,
        settings: m.settings,
        inactive: new Set(m.settings.inactive),
        pool: old?.pool,
      });
      return;
    }
    case "pool": {
      const loop = loops.get(m.loop);
      if (loop === undefined) return;
      const p = m.pool;
      loop.pool = p === null ? undefined : PosteriorPool.fromWeights(p.size, p.dimension, p.seed, p.version, p.weights);
      return;
    }
  }
}

/**
 * Ranks answered per message: the main thread logs and answers the first ones while this thread
 * decides the rest of a batch. Answering whole batches (one post per batch) made the two threads
 * take turns; per 2–8 ranks measured alike, and each post costs the main thread a wake-up.
 */
const ANSWER_CHUNK = 4;

port.on("message", (batch: ToRankThreadBatch) => {
  let answers: RankAnswer[] = [];
  for (const m of batch) {
    apply(m, answers);
    if (answers.length === ANSWER_CHUNK) {
      answer({ t: "answers", answers });
      answers = [];
    }
  }
  if (answers.length > 0) answer({ t: "answers", answers });
});
answer({ t: "ready" });

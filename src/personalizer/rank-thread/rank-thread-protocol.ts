import type { LinearRankSettings } from "../../engine/linear/linear-rank-state.js";
import type { ResolvedLinearThompsonOptions } from "../../stats/linear/linear-thompson-options.js";
import type { PreparedRank } from "./prepare-rank.js";

/** What the main thread posts: the messages of one event-loop turn, in order (one post costs as much as a rank's parse). */
export type ToRankThreadBatch = ToRankThread[];

/** The main thread's messages to the rank thread. */
export type ToRankThread =
  /** A loop's settings and model options (sent when either object changed). */
  | { t: "state"; loop: string; settings: LinearRankSettings; options: ResolvedLinearThompsonOptions }
  /** A loop's pool (a copy of its weights), or none (sent when the pool object changed). */
  | {
      t: "pool";
      loop: string;
      pool: { size: number; dimension: number; seed: number; version: number; weights: Float32Array } | null;
    }
  /** A rank body to decide with the loop's current copy and this seed. */
  | { t: "rank"; id: number; loop: string; text: string; seed: number };

/** What the rank thread posts: "ready" once, then the answers to the ranks, in order, a few per message. */
export type FromRankThread = { t: "ready" } | { t: "answers"; answers: RankAnswer[] };

/** The rank thread's answer to one rank, by its id. */
export type RankAnswer =
  | ({ t: "ranked"; id: number } & PreparedRank)
  /** A BanditryError's fields, thrown again on the main thread. */
  | { t: "refused"; id: number; code: string; message: string; field: string | undefined }
  /** Not decided here (the body is not JSON the fast parser takes, or the thread has no copy of the loop). */
  | { t: "declined"; id: number; reason: "parse" | "no-loop" | "failed"; detail?: string };

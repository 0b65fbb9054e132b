import type { DecisionService } from "../../../engine/decision-service.js";
import type { AdsProfileRecord, AdsStore, EventStore } from "../../../stores/stores.js";
import type { AdsClients } from "./ads-clients.js";
import type { BidOptimizer } from "./bid-optimizer.js";

/** What the ads service's steps (sync, optimize, execute, rewards) share. */
export interface AdsDeps {
  store: AdsStore;
  decisions: DecisionService;
  /** Logged decisions (the event store): where a keyword's bandit decided. */
  decisionLog: Pick<EventStore, "getDecisions">;
  clients: AdsClients;
  optimizer: BidOptimizer;
  /** Epoch ms (tests inject a clock). */
  now: () => number;
  /** The day it is for a profile, YYYY-MM-DD (default: the clock's date in the profile's time zone). */
  today: (profile: AdsProfileRecord) => string;
  /** Days of report data pulled per sync (≤ 31: one report; sales restate for 14 days). */
  reportDays: number;
  /** Days of history handed to the optimizer. */
  historyDays: number;
  /** Keywords per PUT /sp/keywords (≤ 1000, the API's limit). */
  chunkSize: number;
  /** Test hook: runs after a chunk was pushed and before its outcome is recorded (a crash there). */
  afterPush?: (planId: string, keywordIds: string[]) => void | Promise<void>;
}

import type { Marketplace } from "../marketplace/marketplace.js";
import type { FaultController } from "./fault-controller.js";
import type { ReportStore } from "./report-store.js";
import type { SpecValidator } from "./spec-validator.js";
import type { TokenRegistry } from "./token-registry.js";

/** One request the local server answered (tests count retries and refreshes with it). */
export interface FakeRequestRecord {
  method: string;
  path: string;
  /** "METHOD /route" as registered, or undefined for an unknown route. */
  route: string | undefined;
  status: number;
  profileId: string | undefined;
  /** Server clock (ms) when the request arrived. */
  at: number;
}

/** What the routes of the local server share. */
export interface FakeContext {
  now: () => number;
  /** Marketplace behind each profile id. */
  profiles: Map<string, Marketplace>;
  tokens: TokenRegistry;
  faults: FaultController;
  reports: ReportStore;
  validator: SpecValidator;
  /** Page size when a list request gives no maxResults, and the largest accepted. */
  maxPageSize: number;
  /** Base of report download links; default: the scheme and Host the request came with. */
  publicBaseUrl: string | undefined;
  /** Requests answered so far, oldest first. */
  requests: FakeRequestRecord[];
}

import type { Scope } from "../../../src/stores/stores.js";

/** Every route of the API v1, as the OpenAPI document names it, with the scope it needs. */
export interface RouteCase {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** OpenAPI path template, e.g. /v1/experiments/{id} */
  template: string;
  /** null = public */
  scope: Scope | null;
  /** A valid body for the route, when it takes one. */
  body?: () => unknown;
}

export const API_ROUTES: readonly RouteCase[] = [
  {
    method: "POST",
    template: "/v1/experiments",
    scope: "admin",
    body: () => ({ id: "fresh", reward: "bernoulli", arms: [{ id: "x" }] }),
  },
  { method: "GET", template: "/v1/experiments", scope: "read" },
  { method: "GET", template: "/v1/experiments/{id}", scope: "read" },
  { method: "PATCH", template: "/v1/experiments/{id}", scope: "admin", body: () => ({ name: "renamed" }) },
  { method: "DELETE", template: "/v1/experiments/{id}", scope: "admin" },
  { method: "POST", template: "/v1/experiments/{id}/arms", scope: "admin", body: () => ({ id: "new-arm" }) },
  {
    method: "PATCH",
    template: "/v1/experiments/{id}/arms/{armId}",
    scope: "admin",
    body: () => ({ state: "paused" }),
  },
  { method: "GET", template: "/v1/experiments/{id}/stats", scope: "read" },
  { method: "GET", template: "/v1/experiments/{id}/model", scope: "read" },
  { method: "DELETE", template: "/v1/experiments/{id}/model", scope: "admin" },
  { method: "POST", template: "/v1/experiments/{id}/decisions", scope: "decide", body: () => ({}) },
  { method: "POST", template: "/v1/decisions/{eventId}/reward", scope: "decide", body: () => ({ value: 1 }) },
  { method: "POST", template: "/v1/rewards", scope: "decide", body: () => ({ rewards: [] }) },
  { method: "POST", template: "/v1/decisions/{eventId}/activate", scope: "decide" },
  { method: "POST", template: "/v1/keys", scope: "admin", body: () => ({ name: "k", scopes: ["read"] }) },
  { method: "GET", template: "/v1/keys", scope: "admin" },
  { method: "DELETE", template: "/v1/keys/{id}", scope: "admin" },
  {
    method: "POST",
    template: "/v1/experiments/{id}/evaluations",
    scope: "admin",
    body: () => ({ policies: [{ name: "uniform" }] }),
  },
  { method: "GET", template: "/v1/experiments/{id}/evaluations", scope: "read" },
  { method: "GET", template: "/v1/evaluations/{evalId}", scope: "read" },
  { method: "DELETE", template: "/v1/evaluations/{evalId}", scope: "admin" },
  { method: "POST", template: "/v1/loops", scope: "admin", body: () => ({ id: "fresh-loop" }) },
  { method: "POST", template: "/v1/ads/profiles/{profileId}/sync", scope: "admin" },
  {
    method: "POST",
    template: "/v1/ads/profiles/{profileId}/optimize",
    scope: "admin",
    body: () => ({ strategy: "balanced", targetAcos: 0.3 }),
  },
  { method: "GET", template: "/v1/ads/plans", scope: "read" },
  { method: "GET", template: "/v1/ads/plans/{id}", scope: "read" },
  { method: "POST", template: "/v1/ads/plans/{id}/approve", scope: "admin" },
  { method: "GET", template: "/v1/ads/keywords/{keywordId}/bandit", scope: "read" },
  { method: "GET", template: "/v1/ads/schedules", scope: "read" },
  {
    method: "POST",
    template: "/v1/ads/schedules",
    scope: "admin",
    body: () => ({ profileId: "1234567890", cadence: "daily" }),
  },
  { method: "GET", template: "/v1/ads/schedules/{id}", scope: "read" },
  { method: "PATCH", template: "/v1/ads/schedules/{id}", scope: "admin", body: () => ({ cadence: "weekly" }) },
  { method: "DELETE", template: "/v1/ads/schedules/{id}", scope: "admin" },
  { method: "GET", template: "/health", scope: null },
  { method: "GET", template: "/metrics", scope: null },
];

/** Fills a template's parameters. */
export function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return encodeURIComponent(v);
  });
}

/** A minimal JSON client of the HTTP API for end-to-end tests (fetch, keep-alive). */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

export function apiClient(url: string, key: string) {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  async function call<T>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text === "" ? null : JSON.parse(text)) as T };
  }
  return {
    get: <T>(path: string) => call<T>("GET", path),
    post: <T>(path: string, body: unknown) => call<T>("POST", path, body),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export interface ArmStatsBody {
  armId: string;
  pulls: number;
  rewards: number;
  rewardSum: number;
  mean: number;
  lower: number;
  upper: number;
}

export interface StatsBody {
  experimentId: string;
  segments: { segment: string; arms: ArmStatsBody[] }[];
  groups: { group: string; decisions: number; rewards: number }[];
}

/** "segment/arm" → counts, from a stats answer. */
export function countsOf(stats: StatsBody): Map<string, { pulls: number; rewards: number; rewardSum: number }> {
  const out = new Map<string, { pulls: number; rewards: number; rewardSum: number }>();
  for (const s of stats.segments) {
    for (const a of s.arms) {
      if (a.pulls > 0 || a.rewards > 0) {
        out.set(`${s.segment}/${a.armId}`, { pulls: a.pulls, rewards: a.rewards, rewardSum: a.rewardSum });
      }
    }
  }
  return out;
}

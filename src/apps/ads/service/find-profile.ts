import { BanditryError } from "../../../domain/errors.js";
import type { AdsProfileRecord } from "../../../stores/stores.js";
import type { AdsDeps } from "./ads-deps.js";

/**
 * The stored profile; an unknown one is looked up among the configured account's profiles
 * (GET /v2/profiles), which are all stored, reached through the configured connection.
 */
export async function findProfile(deps: AdsDeps, profileId: string, discover = true): Promise<AdsProfileRecord> {
  if (typeof profileId !== "string" || !/^\d{1,20}$/.test(profileId)) {
    throw new BanditryError("BANDITRY_VALIDATION", `profileId must be a decimal id, got ${JSON.stringify(profileId)}`, {
      field: "profileId",
    });
  }
  const stored = await deps.store.getProfile(profileId);
  if (stored !== undefined || !discover) return notFound(stored, profileId);
  const now = deps.now();
  for (const p of await deps.clients.account().listProfiles()) {
    if ((await deps.store.getProfile(p.profileId)) !== undefined) continue;
    await deps.store.upsertProfile({
      profileId: p.profileId,
      countryCode: p.countryCode,
      currencyCode: p.currencyCode,
      timezone: p.timezone,
      accountName: p.accountInfo?.name ?? "",
      region: deps.clients.regionOf(p.countryCode),
      apiBaseUrl: null,
      tokenUrl: null,
      refreshToken: null,
      syncedAt: null,
      createdAt: now,
    });
  }
  return notFound(await deps.store.getProfile(profileId), profileId);
}

function notFound(profile: AdsProfileRecord | undefined, profileId: string): AdsProfileRecord {
  if (profile !== undefined) return profile;
  throw new BanditryError("BANDITRY_NOT_FOUND", `no Amazon Ads profile ${profileId} for the configured account`, {
    field: "profileId",
  });
}

import { randomBytes } from "node:crypto";
import { BanditryError } from "../domain/errors.js";
import type { ApiKeyRecord, KeyStore, Scope } from "../stores/stores.js";
import { generateKeySecret, hashKeySecret, isWellFormedKeySecret } from "./key-secret.js";

export const SCOPES: readonly Scope[] = ["admin", "decide", "read"];

/** A key as shown to users: never the hash, never the secret. */
export interface PublicKey {
  id: string;
  name: string;
  scopes: Scope[];
  experimentId: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface CreateKeyInput {
  name: string;
  scopes: Scope[];
  /** Binds the key to one experiment. */
  experimentId?: string | null;
}

export interface KeyService {
  /** The secret is returned here and nowhere else, ever. */
  create(input: CreateKeyInput): Promise<{ key: PublicKey; secret: string }>;
  list(): Promise<PublicKey[]>;
  /** Returns false when no such key. Revocation is immediate in this process, within cacheTtlMs in others. */
  revoke(id: string): Promise<boolean>;
  count(): Promise<number>;
  /** The live (unrevoked) key of a secret, or null. Cached for cacheTtlMs. */
  verify(secret: string): Promise<ApiKeyRecord | null>;
  /** The cached verdict without I/O: a key, null (known bad), or undefined (not cached or expired). */
  peek(secret: string): ApiKeyRecord | null | undefined;
}

export interface KeyServiceOptions {
  /** How long a verdict is trusted; bounds how late another instance's revocation is seen (ms). */
  cacheTtlMs?: number;
  /** Beyond this many cached verdicts, the oldest is dropped (random bad keys cannot grow memory). */
  maxCacheEntries?: number;
  now?: () => number;
}

interface CacheEntry {
  record: ApiKeyRecord | null;
  expires: number;
}

export function toPublicKey(r: ApiKeyRecord): PublicKey {
  return {
    id: r.id,
    name: r.name,
    scopes: [...r.scopes],
    experimentId: r.experimentId,
    createdAt: r.createdAt,
    revokedAt: r.revokedAt,
  };
}

function validateCreate(input: CreateKeyInput): CreateKeyInput {
  if (typeof input.name !== "string" || input.name.trim() === "" || input.name.length > 200) {
    throw new BanditryError(
      "BANDITRY_VALIDATION",
      `name must be a non-empty string of at most 200 characters, got ${JSON.stringify(input.name)}`,
      { field: "name" },
    );
  }
  if (!Array.isArray(input.scopes) || input.scopes.length === 0) {
    throw new BanditryError("BANDITRY_VALIDATION", `scopes must be a non-empty array of ${SCOPES.join(", ")}`, {
      field: "scopes",
    });
  }
  for (const s of input.scopes) {
    if (!SCOPES.includes(s)) {
      throw new BanditryError(
        "BANDITRY_VALIDATION",
        `scopes must be among ${SCOPES.join(", ")}, got ${JSON.stringify(s)}`,
        {
          field: "scopes",
        },
      );
    }
  }
  const experimentId = input.experimentId ?? null;
  if (experimentId !== null && (typeof experimentId !== "string" || experimentId === "")) {
    throw new BanditryError("BANDITRY_VALIDATION", `experimentId must be a non-empty string or null`, {
      field: "experimentId",
    });
  }
  return { name: input.name.trim(), scopes: [...new Set(input.scopes)], experimentId };
}

export function createKeyService(store: KeyStore, options: KeyServiceOptions = {}): KeyService {
  const ttl = options.cacheTtlMs ?? 2000;
  const maxEntries = options.maxCacheEntries ?? 10_000;
  const now = options.now ?? Date.now;
  // Keyed by the secret itself, so a cache hit costs no hashing. It lives only in this process.
  const cache = new Map<string, CacheEntry>();
  const inflight = new Map<string, Promise<ApiKeyRecord | null>>();

  function remember(secret: string, record: ApiKeyRecord | null): void {
    cache.delete(secret);
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(secret, { record, expires: now() + ttl });
  }

  const service: KeyService = {
    async create(input) {
      const valid = validateCreate(input);
      const secret = generateKeySecret();
      const record: ApiKeyRecord = {
        id: "key_" + randomBytes(8).toString("hex"),
        name: valid.name,
        hash: hashKeySecret(secret),
        scopes: valid.scopes,
        experimentId: valid.experimentId ?? null,
        createdAt: now(),
        revokedAt: null,
      };
      await store.create(record);
      return { key: toPublicKey(record), secret };
    },

    async list() {
      return (await store.list()).map(toPublicKey);
    },

    async revoke(id) {
      const done = await store.revoke(id, now());
      if (done) {
        for (const [secret, entry] of cache) if (entry.record?.id === id) cache.delete(secret);
      }
      return done;
    },

    count() {
      return store.count();
    },

    peek(secret) {
      const entry = cache.get(secret);
      if (entry === undefined || entry.expires <= now()) return undefined;
      return entry.record;
    },

    verify(secret) {
      const cached = service.peek(secret);
      if (cached !== undefined) return Promise.resolve(cached);
      if (!isWellFormedKeySecret(secret)) return Promise.resolve(null);
      // Concurrent first requests with one key share one store lookup.
      let pending = inflight.get(secret);
      if (pending === undefined) {
        pending = store
          .findByHash(hashKeySecret(secret))
          .then((found) => {
            const live = found !== undefined && found.revokedAt === null ? found : null;
            remember(secret, live);
            return live;
          })
          .finally(() => inflight.delete(secret));
        inflight.set(secret, pending);
      }
      return pending;
    },
  };
  return service;
}

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { hashKeySecret, isWellFormedKeySecret } from "../../src/auth/key-secret.js";
import { createKeyService } from "../../src/auth/key-service.js";
import { BanditryError } from "../../src/domain/errors.js";
import { createStores } from "../../src/stores/create-stores.js";
import type { KeyStore, Stores } from "../../src/stores/stores.js";

let stores: Stores;
let dataDir: string;
/** The real SQLite key store, with its lookups counted. */
let lookups = 0;
let store: KeyStore;
before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "banditry-keys-"));
  stores = await createStores({ kind: "sqlite", dataDir, synchronous: "NORMAL" });
  await stores.migrate();
  const real = stores.keyStore;
  store = {
    create: (k) => real.create(k),
    findByHash: (h) => {
      lookups++;
      return real.findByHash(h);
    },
    list: () => real.list(),
    revoke: (id, now) => real.revoke(id, now),
    count: () => real.count(),
  };
});
after(async () => {
  await stores.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("key service", () => {
  it("stores only the SHA-256 of the secret and returns the secret once", async () => {
    const keys = createKeyService(store);
    const { key, secret } = await keys.create({ name: " ops ", scopes: ["decide", "decide", "read"] });
    assert.ok(isWellFormedKeySecret(secret));
    assert.equal(key.name, "ops");
    assert.deepEqual(key.scopes, ["decide", "read"]);
    const [row] = (await stores.keyStore.list()).filter((k) => k.id === key.id);
    assert.equal(row?.hash, hashKeySecret(secret));
    assert.match(row!.hash, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(await keys.list()).includes(row!.hash));
    assert.equal((await keys.verify(secret))?.id, key.id);
  });

  it("rejects bad create input with the field named", async () => {
    const keys = createKeyService(store);
    const cases: [unknown, string][] = [
      [{ name: "", scopes: ["read"] }, "name"],
      [{ name: "x", scopes: [] }, "scopes"],
      [{ name: "x", scopes: ["root"] }, "scopes"],
      [{ name: "x", scopes: ["read"], experimentId: 5 }, "experimentId"],
    ];
    for (const [input, field] of cases) {
      await assert.rejects(
        keys.create(input as never),
        (e: unknown) => e instanceof BanditryError && e.field === field,
      );
    }
  });

  it("caches verdicts for cacheTtlMs: a revocation elsewhere is seen once the entry expires", async () => {
    const clock = { t: 1_000 };
    const here = createKeyService(store, { cacheTtlMs: 2000, now: () => clock.t });
    const elsewhere = createKeyService(store, { now: () => clock.t });
    const { key, secret } = await elsewhere.create({ name: "k", scopes: ["read"] });
    const n0 = lookups;
    assert.equal((await here.verify(secret))?.id, key.id);
    assert.equal(here.peek(secret)?.id, key.id);
    assert.equal((await here.verify(secret))?.id, key.id);
    assert.equal(lookups, n0 + 1, "the second check is served from the cache");

    assert.equal(await elsewhere.revoke(key.id), true);
    clock.t += 1999;
    assert.equal((await here.verify(secret))?.id, key.id, "still cached");
    clock.t += 1;
    assert.equal(here.peek(secret), undefined, "expired");
    assert.equal(await here.verify(secret), null, "the revocation is seen");
    assert.equal(here.peek(secret), null, "and the refusal is cached too");
  });

  it("revocation in the same process is immediate", async () => {
    const keys = createKeyService(store);
    const { key, secret } = await keys.create({ name: "k", scopes: ["read"] });
    assert.ok(await keys.verify(secret));
    assert.equal(await keys.revoke(key.id), true);
    assert.equal(await keys.verify(secret), null);
    assert.equal(await keys.revoke("key_nope"), false);
  });

  it("never looks up malformed secrets, shares one lookup between concurrent checks", async () => {
    const keys = createKeyService(store);
    const n0 = lookups;
    assert.equal(await keys.verify("hunter2"), null);
    assert.equal(await keys.verify(`bdt_${"x".repeat(42)}`), null);
    assert.equal(lookups, n0);
    const { secret } = await keys.create({ name: "k", scopes: ["admin"] });
    const fresh = createKeyService(store);
    const results = await Promise.all(Array.from({ length: 20 }, () => fresh.verify(secret)));
    assert.ok(results.every((r) => r?.scopes.includes("admin")));
    assert.equal(lookups, n0 + 1);
  });

  it("keeps at most maxCacheEntries verdicts", async () => {
    const keys = createKeyService(store, { maxCacheEntries: 3 });
    const secrets = Array.from({ length: 5 }, (_, i) => `bdt_${String(i).repeat(43)}`);
    for (const s of secrets) assert.equal(await keys.verify(s), null);
    assert.equal(keys.peek(secrets[0]!), undefined, "the oldest was dropped");
    assert.equal(keys.peek(secrets[4]!), null);
  });
});

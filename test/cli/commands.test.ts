import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createEngine } from "../../src/engine/engine.js";
import { createStores } from "../../src/stores/create-stores.js";
import { SQLITE_FILE_NAME } from "../../src/stores/sqlite/open-sqlite.js";
import { assertCliFails, cli } from "../helpers/cli.js";
import { createTestDatabase, postgresUnavailable } from "../helpers/postgres.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "banditry-cli-"));
  dirs.push(d);
  return d;
}

const T0 = Date.parse("2024-01-01T00:00:00Z");

/**
 * A data directory with experiment "shop" (6 decisions, one a minute from T0, rewards 1,0,1 for
 * the first three) and experiment "old" (archived, no data).
 */
async function seededDataDir(): Promise<{ dir: string; eventIds: string[] }> {
  const dir = tempDir();
  const stores = await createStores({ kind: "sqlite", dataDir: dir, synchronous: "NORMAL" });
  await stores.migrate();
  const clock = { t: T0 };
  const engine = createEngine({
    stores,
    now: () => clock.t,
    options: { seed: 7, refreshIntervalMs: 0, defaultRewardIntervalMs: 0, flushIntervalMs: 0 },
  });
  await engine.start();
  const eventIds: string[] = [];
  try {
    await engine.createExperiment({
      id: "shop",
      name: "Shop banner",
      reward: "bernoulli",
      segmentKeys: ["country"],
      arms: [{ id: "a" }, { id: "b" }, { id: "c" }],
    });
    await engine.createExperiment({ id: "old", reward: "gaussian", arms: [{ id: "x" }] });
    await engine.archiveExperiment("old");
    for (let i = 0; i < 6; i++) {
      clock.t = T0 + i * 60_000;
      const d = await engine.decide({ experimentId: "shop", eventId: `ev-${i}`, context: { country: "de" } });
      eventIds.push(d.eventId);
    }
    clock.t = T0 + 3_600_000;
    await engine.reward("ev-0", 1);
    await engine.reward("ev-1", 0);
    await engine.reward("ev-2", 1);
  } finally {
    await engine.close();
    await stores.close();
  }
  return { dir, eventIds };
}

describe("banditry migrate, keys", () => {
  it("migrate creates the database; keys create prints the secret once; list and revoke", async () => {
    const dir = join(tempDir(), "nested", "data");
    const migrated = await cli("migrate", "--data-dir", dir);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /SQLite database .*banditry\.sqlite is up to date/);
    assert.ok(existsSync(join(dir, SQLITE_FILE_NAME)), "the database file exists");
    assert.equal((await cli("migrate", "--data-dir", dir)).code, 0, "migrate is idempotent");

    const created = await cli("keys", "create", "--name", "web app", "--scopes", "decide,read", "--data-dir", dir);
    assert.equal(created.code, 0, created.stderr);
    const secrets = created.stdout.match(/bdt_[A-Za-z0-9_-]{43}/g) ?? [];
    assert.equal(secrets.length, 1, `one secret printed: ${created.stdout}`);
    const id = /Created API key (key_[0-9a-f]+) "web app" \(scopes decide,read\)/.exec(created.stdout)?.[1];
    assert.ok(id !== undefined, `the key id is printed: ${created.stdout}`);

    // the secret really is a live key of the store
    const stores = await createStores({ kind: "sqlite", dataDir: dir });
    try {
      const { createKeyService } = await import("../../src/auth/key-service.js");
      const verified = await createKeyService(stores.keyStore).verify(secrets[0]!);
      assert.equal(verified?.id, id, "the printed secret verifies as the new key");
      assert.deepEqual(verified?.scopes, ["decide", "read"]);
    } finally {
      await stores.close();
    }

    const json = await cli("keys", "create", "--name", "admin 2", "--scopes", "admin", "--json", "--data-dir", dir);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as { key: { id: string; scopes: string[] }; secret: string };
    assert.deepEqual(parsed.key.scopes, ["admin"]);
    assert.match(parsed.secret, /^bdt_/);

    const listed = await cli("keys", "list", "--data-dir", dir);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID\s+NAME\s+SCOPES\s+EXPERIMENT\s+CREATED\s+REVOKED\n/);
    assert.ok(listed.stdout.includes(id!), `list shows ${id}`);
    assert.ok(!listed.stdout.includes("bdt_"), "list never shows secrets");

    const revoked = await cli("keys", "revoke", id!, "--data-dir", dir);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, `Revoked API key ${id}.\n`);
    const after = JSON.parse((await cli("keys", "list", "--json", "--data-dir", dir)).stdout) as {
      id: string;
      revokedAt: number | null;
    }[];
    assert.equal(after.length, 2, "both keys listed");
    assert.ok(typeof after.find((k) => k.id === id)?.revokedAt === "number", "the key is revoked");
    assert.equal(after.find((k) => k.id === parsed.key.id)?.revokedAt, null, "the other key is not");

    assertCliFails(await cli("keys", "revoke", "key_nope", "--data-dir", dir), 1, "key_nope", "revoke unknown");
  });

  it("keys create binds a key to an existing experiment only", async () => {
    const { dir } = await seededDataDir();
    const bound = await cli(
      "keys",
      "create",
      "--name",
      "b",
      "--scopes",
      "decide",
      "--experiment",
      "shop",
      "--data-dir",
      dir,
    );
    assert.equal(bound.code, 0, bound.stderr);
    assert.match(bound.stdout, /experiment shop\)/);
    assertCliFails(
      await cli("keys", "create", "--name", "b", "--scopes", "decide", "--experiment", "nope", "--data-dir", dir),
      1,
      "--experiment",
      "unknown experiment",
    );
  });

  it("rejects bad flags with one line naming the flag and exit code 2", async () => {
    const dir = tempDir();
    const cases: [string[], string][] = [
      [["keys", "create", "--scopes", "read"], "--name"],
      [["keys", "create", "--name", "x", "--scopes", "read,root"], "--scopes"],
      [["keys", "create", "--name", "x"], "--scopes"],
      [["keys", "list", "--data-dir", dir, "--database-url", "postgres://h/db"], "--database-url"],
      [["keys", "list", "--database-url", "mysql://h/db"], "--database-url"],
      [["keys", "list", "--frobnicate"], "--frobnicate"],
      [["serve", "--port", "70000"], "--port"],
      [["serve", "--port", "http"], "--port"],
      [["serve", "--host", ""], "--host"],
      [["export", "--data-dir", dir], "--experiment"],
      [["export", "--experiment", "shop", "--from", "yesterday"], "--from"],
      [["export", "--experiment", "shop", "--to", "2024-13-45"], "--to"],
      [["export", "--experiment", "shop", "--from", "2024-02-01", "--to", "2024-01-01"], "--to"],
      [["experiments", "list", "--json=yes"], "--json"],
    ];
    for (const [args, flag] of cases) assertCliFails(await cli(...args), 2, flag, args.join(" "));
    assert.deepEqual(readdirSync(dir), [], "no database was created by a refused command");
  });

  it("read commands refuse a data directory without a database (exit 1)", async () => {
    const missing = join(tempDir(), "typo");
    for (const args of [
      ["keys", "list"],
      ["keys", "revoke", "key_1"],
      ["experiments", "list"],
      ["export", "--experiment", "x"],
    ]) {
      assertCliFails(await cli(...args, "--data-dir", missing), 1, "no banditry database", args.join(" "));
    }
    assert.ok(!existsSync(missing), "nothing was created");
  });
});

describe("banditry experiments list, export", () => {
  it("lists experiments with their counts; --all adds archived ones; --json", async () => {
    const { dir } = await seededDataDir();
    const table = await cli("experiments", "list", "--data-dir", dir);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 2, table.stdout);
    assert.match(lines[0]!, /^ID\s+STATUS\s+REWARD\s+POLICY\s+ARMS\s+DECISIONS\s+REWARDS\s+CREATED\s+NAME$/);
    assert.match(
      lines[1]!,
      /^shop\s+active\s+bernoulli\s+thompson\s+3\/3\s+6\s+3\s+2024-01-01T00:00:00\.000Z\s+Shop banner$/,
    );

    const all = JSON.parse((await cli("experiments", "list", "--all", "--json", "--data-dir", dir)).stdout) as {
      id: string;
      status: string;
      decisions: number;
      rewards: number;
      arms: unknown[];
    }[];
    assert.deepEqual(
      all.map((e) => [e.id, e.status, e.decisions, e.rewards, e.arms.length]),
      // creation order, ties by id (both were created at T0)
      [
        ["old", "archived", 0, 0, 1],
        ["shop", "active", 6, 3, 3],
      ],
    );
    assert.ok(!("decayLandmark" in (all[1] as object)), "internal fields stay inside");
  });

  it("exports decisions with their rewards as NDJSON, filtered by time, to stdout or a file", async () => {
    const { dir, eventIds } = await seededDataDir();
    const r = await cli("export", "--experiment", "shop", "--data-dir", dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "exported 6 decisions with 3 rewards\n");
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      rows.map((d) => d.eventId),
      eventIds,
      "every decision, in creation order",
    );
    assert.deepEqual(
      rows.map((d) => d.rewards.map((x: { value: number }) => x.value)),
      [[1], [0], [1], [], [], []],
    );
    const first = rows[0];
    assert.equal(first.experimentId, "shop");
    assert.equal(first.segment, "country=de");
    assert.deepEqual(first.context, { country: "de" });
    assert.equal(first.createdAt, T0);
    assert.equal(first.group, "bandit");
    assert.ok(["a", "b", "c"].includes(first.armId), `armId ${first.armId}`);
    assert.deepEqual(first.rewards, [{ value: 1, createdAt: T0 + 3_600_000, isDefault: false }]);

    // --from inclusive, --to exclusive: minutes 1 and 2
    const ranged = await cli(
      "export",
      "--experiment",
      "shop",
      "--from",
      "2024-01-01T00:01:00Z",
      "--to",
      "2024-01-01T00:03:00Z",
      "--data-dir",
      dir,
    );
    assert.equal(ranged.code, 0, ranged.stderr);
    assert.deepEqual(
      ranged.stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).eventId),
      ["ev-1", "ev-2"],
    );
    const none = await cli("export", "--experiment", "shop", "--from", "2025-01-01", "--data-dir", dir);
    assert.equal(none.stdout, "", "nothing after the last decision");
    assert.equal(none.stderr, "exported 0 decisions with 0 rewards\n");

    const file = join(tempDir(), "shop.ndjson");
    const toFile = await cli("export", "--experiment", "shop", "--output", file, "--data-dir", dir);
    assert.equal(toFile.code, 0, toFile.stderr);
    assert.equal(toFile.stdout, "");
    assert.equal(readFileSync(file, "utf8"), r.stdout, "the file holds the same lines");
    assert.deepEqual(readdirSync(join(file, "..")), ["shop.ndjson"], "no temporary file left");

    // an existing partial name or a missing directory fails without leaving anything behind
    const bad = await cli(
      "export",
      "--experiment",
      "shop",
      "--output",
      join(dir, "no", "such", "x"),
      "--data-dir",
      dir,
    );
    assert.equal(bad.code, 1, bad.stderr);
    assertCliFails(
      await cli("export", "--experiment", "nope", "--data-dir", dir),
      1,
      "--experiment",
      "unknown experiment",
    );
  });
});

const pgSkip = await postgresUnavailable();

describe("banditry commands on PostgreSQL", { skip: pgSkip }, () => {
  it("migrate, keys create, experiments list and export through --database-url", async () => {
    const db = await createTestDatabase({ empty: true });
    try {
      const migrated = await cli("migrate", "--database-url", db.url);
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stdout, /^PostgreSQL database [^@]+ is up to date\n$/, "no credentials printed");
      const created = await cli("keys", "create", "--name", "pg", "--scopes", "read", "--database-url", db.url);
      assert.equal(created.code, 0, created.stderr);
      const keys = JSON.parse((await cli("keys", "list", "--json", "--database-url", db.url)).stdout) as unknown[];
      assert.equal(keys.length, 1, "one key");
      const listed = await cli("experiments", "list", "--database-url", db.url);
      assert.equal(listed.stdout, "No active experiments (--all shows archived ones).\n");
      assertCliFails(await cli("export", "--experiment", "x", "--database-url", db.url), 1, "--experiment", "export");
    } finally {
      await db.drop();
    }
  });
});

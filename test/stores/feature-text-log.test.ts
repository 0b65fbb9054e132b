import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import type { DecisionFeatures } from "../../src/domain/decision.js";
import { FeatureTextDigests } from "../../src/domain/feature-text-digests.js";
import { CommitTexts } from "../../src/stores/commit-texts.js";
import { createStores } from "../../src/stores/create-stores.js";
import { FeatureTextLog } from "../../src/stores/feature-text-log.js";
import { tempDataDir } from "../helpers/sqlite.js";
import { batch, catalogFeatures, experiment, ranked } from "./fixtures.js";

describe("FeatureTextLog", () => {
  it("keeps a text inline the first time, and refers to it from the second", () => {
    const log = new FeatureTextLog();
    const f = catalogFeatures();
    const texts = new CommitTexts();
    const first = log.rowText(ranked("e", f), texts);
    assert.equal(first, JSON.stringify(f), "met once: as it is");
    assert.equal(texts.size, 0);
    const second = log.rowText(ranked("e", f), texts)!;
    assert.ok(second.length < first!.length / 2 + 60, `${second.length} of ${first!.length}`);
    const stored = JSON.parse(second) as { actions: { id: string; ref?: string; features?: unknown }[] };
    assert.deepEqual(
      stored.actions.map((a) => Object.keys(a)),
      [["id", "ref"], ["id"], ["id", "ref"]],
      "an action without features has nothing to refer to",
    );
    assert.deepEqual(
      texts.list().map((t) => [t.experimentId, t.digest, JSON.parse(t.text)]),
      [
        ["e", stored.actions[0]!.ref, f.actions[0]!.features],
        ["e", stored.actions[2]!.ref, f.actions[2]!.features],
      ],
    );
    // the same texts in another experiment: the same digests, stored for that experiment
    const there = new CommitTexts();
    log.rowText(ranked("other", f), there);
    assert.deepEqual(
      there.list().map((t) => [t.experimentId, t.digest]),
      texts.list().map((t) => ["other", t.digest]),
    );
  });

  it("keeps features that change with every decision inline (they would only fill the table)", () => {
    const log = new FeatureTextLog();
    const texts = new CommitTexts();
    for (let i = 0; i < 20; i++) {
      const f: DecisionFeatures = { context: {}, actions: [{ id: "a", features: { price: i } }] };
      assert.equal(log.rowText(ranked("e", f), texts), JSON.stringify(f));
    }
    assert.equal(texts.size, 0);
  });

  it("refers to the digests a decision brings, from the first decision on, and makes its own when they do not fit", () => {
    const log = new FeatureTextLog();
    const f = catalogFeatures();
    const maker = new FeatureTextDigests();
    ranked("e", f, {}, maker);
    const d = ranked("e", f, {}, maker);
    assert.deepEqual(
      d.featureDigests!.map((x) => x?.length ?? null),
      [22, null, 22],
    );
    const texts = new CommitTexts();
    const row = JSON.parse(log.rowText(d, texts)!) as { actions: { id: string; ref?: string }[] };
    assert.deepEqual(
      row.actions.map((a) => a.ref ?? null),
      d.featureDigests,
      "the log met nothing yet: the decision's digests",
    );
    assert.deepEqual(
      texts.list().map((t) => [t.digest, JSON.parse(t.text)]),
      [
        [d.featureDigests![0], f.actions[0]!.features],
        [d.featureDigests![2], f.actions[2]!.features],
      ],
    );
    // digests that do not fit the spans are ignored: the log's own memory decides (met once: inline)
    const digests = d.featureDigests!;
    for (const bad of [
      digests.slice(1),
      digests.map((x) => (x === null ? null : x.slice(1))),
      digests.map((x) => x ?? "A".repeat(22)),
      digests.map(() => 7 as unknown as string),
    ]) {
      const fresh = new FeatureTextLog();
      assert.equal(
        fresh.rowText({ ...d, featureDigests: bad }, new CommitTexts()),
        d.featuresText,
        JSON.stringify(bad),
      );
    }
  });

  it("writes the text as it is when the spans do not fit it", () => {
    const log = new FeatureTextLog();
    const f = catalogFeatures();
    const good = ranked("e", f);
    log.rowText(good, new CommitTexts());
    const spans = good.featureSpans!;
    for (const bad of [
      spans.slice(1),
      spans.map((s, i) => (i === 0 ? s + 1 : s)),
      spans.map((s, i) => (i === 1 ? good.featuresText!.length + 5 : s)),
      spans.map((s, i) => (i === 1 ? s - 1 : s)),
      [...spans.slice(4), ...spans.slice(0, 4)],
      spans.map(() => 0.5),
    ]) {
      const texts = new CommitTexts();
      assert.equal(log.rowText({ ...good, featureSpans: bad }, texts), good.featuresText, JSON.stringify(bad));
      assert.equal(texts.size, 0);
    }
  });

  it("on SQLite: the decision row refers to the texts stored once in feature_texts", async () => {
    const tmp = await tempDataDir();
    try {
      const stores = await createStores({ kind: "sqlite", dataDir: tmp.dir });
      await stores.migrate();
      await stores.experimentStore.create(experiment("exp", { segmentKeys: [] }));
      const f = catalogFeatures();
      const ds = Array.from({ length: 5 }, () => ranked("exp", f));
      for (const d of ds) await stores.eventStore.commit(batch({ decisions: [d] }));
      const found = await stores.eventStore.getDecisions(ds.map((d) => d.eventId));
      for (const d of ds) assert.deepEqual(found.get(d.eventId)?.features, f);
      await stores.close();
      const db = new SqliteDatabase(join(tmp.dir, "banditry.sqlite"), { readonly: true });
      const rows = db.prepare("select features from decisions order by created_at, event_id").all() as {
        features: string;
      }[];
      const inline = rows.filter((r) => !r.features.includes('"ref":"'));
      assert.equal(inline.length, 1, "only the first decision has the texts inline");
      assert.equal(inline[0]!.features, JSON.stringify(f));
      const texts = db.prepare("select experiment_id, text from feature_texts order by text").all();
      assert.deepEqual(
        texts,
        [f.actions[0]!.features, f.actions[2]!.features]
          .map((x) => ({ experiment_id: "exp", text: JSON.stringify(x) }))
          .sort((a, b) => (a.text < b.text ? -1 : 1)),
      );
      db.close();
    } finally {
      await tmp.remove();
    }
  });
});

import type { Command } from "commander";
import { createKeyService } from "../auth/key-service.js";
import { createEngine } from "../engine/engine.js";
import { createLoop } from "../personalizer/create-loop.js";
import { loopMetadata } from "../personalizer/loop-metadata.js";
import { formatTable, isoTime } from "./format-table.js";
import { addStoreOptions, configFromFlags, type StoreFlags } from "./store-options.js";
import { withStores } from "./with-stores.js";

interface CreateFlags extends StoreFlags {
  name?: string;
  json?: boolean;
}

interface ListFlags extends StoreFlags {
  json?: boolean;
}

/** `banditry loops create|list`: Personalizer loops (linear experiments with a bound key), no HTTP. */
export function registerLoops(program: Command): void {
  const loops = program.command("loops").description("Personalizer-compatible loops");

  const create = loops
    .command("create")
    .description("Create a loop (a linear experiment with Personalizer's defaults) and a key bound to it")
    .argument("<id>", "the loop's id (letters, digits, . _ : ~ -)")
    .option("--name <name>", "a readable name")
    .option("--json", "print {loop, key, secret, paths} as JSON");
  addStoreOptions(create).action(async (id: string, flags: CreateFlags, cmd: Command) => {
    const out = cmd.configureOutput().writeOut!;
    const created = await withStores(configFromFlags(flags), async (stores) => {
      // the engine validates the experiment; it is not started (no timers), only closed
      const engine = createEngine({ stores });
      try {
        return await createLoop(engine, createKeyService(stores.keyStore), { id, name: flags.name });
      } finally {
        await engine.close();
      }
    });
    if (flags.json) {
      out(`${JSON.stringify(created)}\n`);
      return;
    }
    out(`Created Personalizer loop ${created.loop.id} and its key ${created.key.id} (scopes admin,decide,read).\n`);
    out(`Endpoint: http(s)://<this server>  (paths ${created.paths.v1}/… and ${created.paths.preview}/…)\n`);
    out("Key (Ocp-Apim-Subscription-Key), shown only this once; store it now:\n");
    out(`  ${created.secret}\n`);
  });

  const list = loops
    .command("list")
    .description("List loops (linear experiments) with their learning mode and keys")
    .option("--json", "print a JSON array");
  addStoreOptions(list).action(async (flags: ListFlags, cmd: Command) => {
    const out = cmd.configureOutput().writeOut!;
    const rows = await withStores(
      configFromFlags(flags),
      async (stores) => {
        const experiments = (await stores.experimentStore.list()).filter((e) => e.context === "linear");
        const keys = await stores.keyStore.list();
        return experiments.map(({ decayLandmark: _landmark, ...e }) => ({
          id: e.id,
          name: e.name,
          learningMode: e.learningMode,
          explorationShare: e.explorationShare,
          policy: loopMetadata(e).policy,
          actions: e.arms.length,
          keys: keys.filter((k) => k.experimentId === e.id && k.revokedAt === null).map((k) => k.id),
          createdAt: e.createdAt,
        }));
      },
      { mustExist: true },
    );
    if (flags.json) {
      out(`${JSON.stringify(rows)}\n`);
      return;
    }
    if (rows.length === 0) {
      out("No loops.\n");
      return;
    }
    out(
      formatTable(
        ["ID", "NAME", "MODE", "EXPLORATION", "ACTIONS", "KEYS", "CREATED"],
        rows.map((r) => [
          r.id,
          r.name,
          r.learningMode,
          String(r.explorationShare),
          String(r.actions),
          r.keys.join(",") || "-",
          isoTime(r.createdAt),
        ]),
      ),
    );
  });
}

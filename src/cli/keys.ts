import type { Command } from "commander";
import { createKeyService, SCOPES } from "../auth/key-service.js";
import type { Scope } from "../stores/stores.js";
import { choiceList } from "./flag-parsers.js";
import { formatTable, isoTime } from "./format-table.js";
import { addStoreOptions, configFromFlags, type StoreFlags } from "./store-options.js";
import { withStores } from "./with-stores.js";

interface CreateFlags extends StoreFlags {
  name: string;
  scopes: Scope[];
  experiment?: string;
  json?: boolean;
}

interface ListFlags extends StoreFlags {
  json?: boolean;
}

/** `banditry keys create|list|revoke`: API keys, straight through the key service (no HTTP). */
export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("Create, list and revoke API keys");

  const create = keys
    .command("create")
    .description("Create an API key and print its secret (shown only this once)")
    .requiredOption("--name <name>", "what the key is for")
    .requiredOption("--scopes <list>", `comma-separated, among ${SCOPES.join(", ")}`, choiceList(SCOPES))
    .option("--experiment <id>", "bind the key to one experiment")
    .option("--json", "print {key, secret} as JSON");
  addStoreOptions(create).action(async (flags: CreateFlags, cmd: Command) => {
    const out = cmd.configureOutput().writeOut!;
    await withStores(configFromFlags(flags), async (stores) => {
      if (flags.experiment !== undefined && (await stores.experimentStore.get(flags.experiment)) === undefined) {
        throw new Error(`--experiment: no experiment ${JSON.stringify(flags.experiment)}`);
      }
      const created = await createKeyService(stores.keyStore).create({
        name: flags.name,
        scopes: flags.scopes,
        experimentId: flags.experiment ?? null,
      });
      if (flags.json) {
        out(`${JSON.stringify(created)}\n`);
        return;
      }
      const k = created.key;
      const bound = k.experimentId === null ? "" : `, experiment ${k.experimentId}`;
      out(`Created API key ${k.id} "${k.name}" (scopes ${k.scopes.join(",")}${bound}).\n`);
      out("Its secret is shown only this once; store it now:\n");
      out(`  ${created.secret}\n`);
    });
  });

  const list = keys
    .command("list")
    .description("List API keys, revoked ones too (never their secrets)")
    .option("--json", "print a JSON array");
  addStoreOptions(list).action(async (flags: ListFlags, cmd: Command) => {
    const out = cmd.configureOutput().writeOut!;
    const all = await withStores(configFromFlags(flags), (stores) => createKeyService(stores.keyStore).list(), {
      mustExist: true,
    });
    if (flags.json) {
      out(`${JSON.stringify(all)}\n`);
      return;
    }
    if (all.length === 0) {
      out("No API keys.\n");
      return;
    }
    out(
      formatTable(
        ["ID", "NAME", "SCOPES", "EXPERIMENT", "CREATED", "REVOKED"],
        all.map((k) => [
          k.id,
          k.name,
          k.scopes.join(","),
          k.experimentId ?? "-",
          isoTime(k.createdAt),
          isoTime(k.revokedAt),
        ]),
      ),
    );
  });

  const revoke = keys
    .command("revoke")
    .description("Revoke an API key (running servers notice within their key cache time, 2 s by default)")
    .argument("<id>", "the key's id, as in `keys list`");
  addStoreOptions(revoke).action(async (id: string, flags: StoreFlags, cmd: Command) => {
    const found = await withStores(configFromFlags(flags), (stores) => createKeyService(stores.keyStore).revoke(id), {
      mustExist: true,
    });
    if (!found) throw new Error(`no API key with id ${JSON.stringify(id)}`);
    cmd.configureOutput().writeOut!(`Revoked API key ${id}.\n`);
  });
}

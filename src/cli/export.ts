import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import type { Command } from "commander";
import type { DecisionWithRewards } from "../stores/stores.js";
import { addStoreOptions, configFromFlags, type StoreFlags } from "./store-options.js";
import { addTimeRangeFlags, checkTimeRange, type TimeRangeFlags } from "./time-range-flags.js";
import { withStores } from "./with-stores.js";

interface ExportFlags extends StoreFlags, TimeRangeFlags {
  experiment: string;
  output?: string;
}

/** Bytes gathered before one write: few syscalls, bounded memory. */
const CHUNK = 256 * 1024;

const EXPORT_HELP = `
Each line is one decision with its rewards, in creation order:
  {"eventId":"…","experimentId":"…","segment":"*","context":{…},"unitId":null,"armId":"a",
   "ranking":null,"propensity":null,"group":"bandit","seed":123,"activated":true,
   "createdAt":1714521600000,"rewards":[{"value":1,"createdAt":1714521601000,"isDefault":false}]}
Times are epoch milliseconds. --from is inclusive, --to exclusive; a time without a zone is local.`;

/** One NDJSON line; the reward's eventId repeats the decision's and is left out. */
function line(d: DecisionWithRewards): string {
  const rewards = d.rewards.map((r) => ({ value: r.value, createdAt: r.createdAt, isDefault: r.isDefault }));
  return `${JSON.stringify({ ...d, rewards })}\n`;
}

/** Where lines go: stdout through the command's output, or a file written under a temporary name. */
interface Sink {
  write(text: string): Promise<void>;
  /** Makes the output complete (renames the file into place). */
  finish(): Promise<void>;
  /** Removes a partial file. */
  abort(): Promise<void>;
}

function stdoutSink(writeOut: (text: string) => void): Sink {
  return { write: async (text) => writeOut(text), finish: async () => {}, abort: async () => {} };
}

function fileSink(path: string): Sink {
  // a failed or interrupted export never leaves a truncated file under the asked name
  const temp = `${path}.partial-${process.pid}`;
  const stream = createWriteStream(temp, { flags: "wx" });
  let failed: Error | undefined;
  stream.on("error", (e) => {
    failed = e;
  });
  const check = () => {
    if (failed) throw failed;
  };
  return {
    async write(text) {
      check();
      if (!stream.write(text)) await Promise.race([once(stream, "drain"), once(stream, "close")]);
      check();
    },
    async finish() {
      stream.end();
      await once(stream, "close");
      check();
      await rename(temp, path);
    },
    async abort() {
      stream.destroy();
      await rm(temp, { force: true });
    },
  };
}

/** `banditry export`: decisions with their rewards as NDJSON, streamed page by page from the store. */
export function registerExport(program: Command): void {
  const cmd = addTimeRangeFlags(
    program
      .command("export")
      .description("Export an experiment's decisions with their rewards as NDJSON (one decision per line)")
      .requiredOption("--experiment <id>", "the experiment"),
    "creation",
  ).option("-o, --output <file>", "write to this file instead of stdout");
  addStoreOptions(cmd)
    .addHelpText("after", EXPORT_HELP)
    .action(async (flags: ExportFlags, command: Command) => {
      checkTimeRange(flags);
      const out = command.configureOutput();
      const config = configFromFlags(flags);
      const counts = await withStores(
        config,
        async (stores) => {
          if ((await stores.experimentStore.get(flags.experiment)) === undefined) {
            throw new Error(`--experiment: no experiment ${JSON.stringify(flags.experiment)}`);
          }
          const sink = flags.output === undefined ? stdoutSink(out.writeOut!) : fileSink(flags.output);
          let decisions = 0;
          let rewards = 0;
          let buffer = "";
          try {
            const range = { from: flags.from, to: flags.to };
            for await (const d of stores.eventStore.exportDecisions(flags.experiment, range)) {
              buffer += line(d);
              decisions++;
              rewards += d.rewards.length;
              if (buffer.length >= CHUNK) {
                await sink.write(buffer);
                buffer = "";
              }
            }
            if (buffer.length > 0) await sink.write(buffer);
            await sink.finish();
          } catch (e) {
            await sink.abort();
            throw e;
          }
          return { decisions, rewards };
        },
        { mustExist: true },
      );
      const where = flags.output === undefined ? "" : ` to ${flags.output}`;
      out.writeErr!(`exported ${counts.decisions} decisions with ${counts.rewards} rewards${where}\n`);
    });
}

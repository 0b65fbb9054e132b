import type { Command } from "commander";
import type { Experiment } from "../domain/experiment.js";
import { formatTable, isoTime } from "./format-table.js";
import { addStoreOptions, configFromFlags, type StoreFlags } from "./store-options.js";
import { withStores } from "./with-stores.js";

interface ListFlags extends StoreFlags {
  all?: boolean;
  json?: boolean;
}

interface Listed {
  experiment: Experiment;
  decisions: number;
  rewards: number;
}

/** `banditry experiments list`: the experiments and their decision and reward counts. */
export function registerExperiments(program: Command): void {
  const experiments = program.command("experiments").description("Inspect experiments");
  const list = experiments
    .command("list")
    .description("List experiments with their decision and reward counts")
    .option("--all", "archived experiments too")
    .option("--json", "print a JSON array (each experiment as the API shows it, plus decisions and rewards)");
  addStoreOptions(list).action(async (flags: ListFlags, cmd: Command) => {
    const out = cmd.configureOutput().writeOut!;
    const listed = await withStores(
      configFromFlags(flags),
      async (stores): Promise<Listed[]> => {
        const records = await stores.experimentStore.list({ includeArchived: flags.all === true });
        const result: Listed[] = [];
        for (const { decayLandmark: _landmark, ...experiment } of records) {
          const groups = await stores.eventStore.groupStats(experiment.id);
          const decisions = groups.reduce((n, g) => n + g.decisions, 0);
          const rewards = groups.reduce((n, g) => n + g.rewards, 0);
          result.push({ experiment, decisions, rewards });
        }
        return result;
      },
      { mustExist: true },
    );
    if (flags.json) {
      out(`${JSON.stringify(listed.map((l) => ({ ...l.experiment, decisions: l.decisions, rewards: l.rewards })))}\n`);
      return;
    }
    if (listed.length === 0) {
      out(flags.all ? "No experiments.\n" : "No active experiments (--all shows archived ones).\n");
      return;
    }
    out(
      formatTable(
        ["ID", "STATUS", "REWARD", "POLICY", "ARMS", "DECISIONS", "REWARDS", "CREATED", "NAME"],
        listed.map(({ experiment: e, decisions, rewards }) => [
          e.id,
          e.status,
          e.reward,
          e.policy,
          `${e.arms.filter((a) => a.state === "active").length}/${e.arms.length}`,
          String(decisions),
          String(rewards),
          isoTime(e.createdAt),
          e.name,
        ]),
      ),
    );
  });
}

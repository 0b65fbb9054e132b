import type { KeyService, PublicKey } from "../auth/key-service.js";
import type { Experiment } from "../domain/experiment.js";
import type { DecisionService } from "../engine/decision-service.js";
import { DEFAULT_POLICY } from "./default-policy.js";
import { loopLinearOptions } from "./loop-linear-options.js";
import { defaultLoopMetadata, METADATA_KEY } from "./loop-metadata.js";
import { DEFAULT_LOOP_SETTINGS } from "./service-configuration.js";

export interface CreatedLoop {
  loop: Experiment;
  key: PublicKey;
  /** The key's secret: shown once. */
  secret: string;
  /** Where the Personalizer clients point (the endpoint is the server's URL). */
  paths: { v1: string; preview: string };
}

/**
 * A Personalizer loop: a linear experiment with Personalizer's default settings (no actions
 * yet: they are created on first sight) and a key bound to it with scopes admin, decide, read.
 */
export async function createLoop(
  service: Pick<DecisionService, "createExperiment">,
  keys: Pick<KeyService, "create">,
  input: { id: unknown; name?: unknown },
  now: number = Date.now(),
): Promise<CreatedLoop> {
  const loop = await service.createExperiment({
    id: input.id,
    ...(input.name === undefined ? {} : { name: input.name }),
    arms: [],
    reward: "gaussian",
    context: "linear",
    linear: loopLinearOptions(DEFAULT_POLICY.arguments),
    rewardWaitSeconds: DEFAULT_LOOP_SETTINGS.rewardWaitSeconds,
    defaultReward: DEFAULT_LOOP_SETTINGS.defaultReward,
    rewardAggregation: DEFAULT_LOOP_SETTINGS.rewardAggregation,
    explorationShare: DEFAULT_LOOP_SETTINGS.explorationShare,
    learningMode: DEFAULT_LOOP_SETTINGS.learningMode,
    metadata: { [METADATA_KEY]: defaultLoopMetadata(now) },
  });
  const created = await keys.create({
    name: `personalizer loop ${loop.id}`,
    scopes: ["admin", "decide", "read"],
    experimentId: loop.id,
  });
  return {
    loop,
    key: created.key,
    secret: created.secret,
    paths: { v1: "/personalizer/v1.0", preview: "/personalizer/v1.1-preview.3" },
  };
}

import { BanditryError, type ErrorCode, isBanditryError } from "../domain/errors.js";
import type { Experiment } from "../domain/experiment.js";
import { JsonText } from "../domain/json-text.js";
import { RawJsonBody } from "../domain/raw-json-body.js";
import { readObject, readString } from "../domain/validate.js";
import type { DecisionService } from "../engine/decision-service.js";
import { type LinearRankState, StaleLinearState } from "../engine/linear/linear-rank-state.js";
import { newEventId } from "../engine/new-event-id.js";
import type { LoopStore } from "../stores/stores.js";
import { DEFAULT_POLICY } from "./default-policy.js";
import { type LearningMetrics, learningMetrics } from "./learning-metrics.js";
import { loopEventId, multiSlotEventId, multiSlotEventPrefix } from "./loop-event-id.js";
import { loopLinearOptions } from "./loop-linear-options.js";
import { loopMetadata, withLoopMetadata } from "./loop-metadata.js";
import { readMultiSlotRankRequest, readMultiSlotReward, readRewardValue } from "./multi-slot-request.js";
import type { DurationStyle } from "./personalizer-duration.js";
import { MAX_ID_LENGTH, MAX_SLOTS, readRankRequest } from "./rank-request.js";
import { type RankResponse, rankResponse } from "./rank-response.js";
import type { RankThread } from "./rank-thread/rank-thread.js";
import type { ServiceConfiguration } from "./service-configuration.js";
import { serviceConfigurationOf } from "./service-configuration-of.js";
import { serviceConfigurationUpdate } from "./service-configuration-update.js";

export interface PersonalizerLoopsDeps {
  service: DecisionService;
  loopStore: LoopStore;
  now?: () => number;
  /** How long a loop's settings are reused on the rank path (ms; other instances' edits show after it). */
  settingsTtlMs?: number;
  /** Decides rank bodies off the main thread (see RankThread); none: all on the main thread. */
  rankThread?: RankThread;
}

export interface PolicyContract {
  name: string;
  arguments: string;
}

/**
 * The Personalizer API over banditry: each loop is a linear experiment; event ids are mapped
 * into the loop's namespace (loop-event-id.ts). The HTTP routes stay thin and call this.
 */
export class PersonalizerLoops {
  readonly #service: DecisionService;
  readonly #store: LoopStore;
  readonly #now: () => number;
  readonly #ttl: number;
  readonly #thread: RankThread | undefined;
  readonly #settings = new Map<string, { loop: Experiment; explain: boolean; expires: number }>();

  constructor(deps: PersonalizerLoopsDeps) {
    this.#service = deps.service;
    this.#store = deps.loopStore;
    this.#now = deps.now ?? Date.now;
    this.#ttl = deps.settingsTtlMs ?? 1000;
    this.#thread = deps.rankThread;
  }

  /** The loop (cached briefly); throws unless it is a linear experiment. */
  async #loop(loopId: string): Promise<{ loop: Experiment; explain: boolean }> {
    const cached = this.#settings.get(loopId);
    const now = this.#now();
    if (cached !== undefined && cached.expires > now) return cached;
    const loop = await this.#service.getExperiment(loopId);
    if (loop.context !== "linear") {
      throw new BanditryError(
        "BANDITRY_FORBIDDEN",
        `experiment ${JSON.stringify(loopId)} is not a Personalizer loop (its context is not "linear")`,
      );
    }
    const entry = { loop, explain: loopMetadata(loop).isInferenceExplainabilityEnabled, expires: now + this.#ttl };
    if (this.#settings.size > 10_000) this.#settings.clear();
    this.#settings.set(loopId, entry);
    return entry;
  }

  /**
   * `body` may be a RawJsonBody (the rank route leaves the parse to this): it is then decided on
   * the rank thread when there is one and the loop allows it (the pool policy, no control group,
   * no explanations), else parsed here.
   */
  async rank(loopId: string, body: unknown): Promise<RankResponse | JsonText> {
    if (body instanceof RawJsonBody) {
      const ranked = await this.#rankOnThread(loopId, body.text);
      if (ranked !== undefined) return ranked;
      return this.rank(loopId, body.parse());
    }
    const req = readRankRequest(body);
    const { explain } = await this.#loop(loopId);
    // a generated id is a UUIDv7: time-ordered ids append to the decisions index (see newEventId)
    const eventId = req.eventId ?? newEventId();
    const result = await this.#decide(
      {
        experimentId: loopId,
        eventId: loopEventId(loopId, eventId),
        actions: req.actions,
        contextFeatures: req.contextFeatures ?? null,
        excludedActions: req.excludedActions,
        activate: !req.deferActivation,
        explain,
      },
      eventId,
    );
    return rankResponse(result, req.actions, eventId);
  }

  /** The rank decided on the rank thread and logged here; undefined when it must be decided here. */
  async #rankOnThread(loopId: string, text: string): Promise<JsonText | undefined> {
    const thread = this.#thread;
    if (thread === undefined || !thread.ready()) return undefined;
    let state: LinearRankState | undefined;
    try {
      if ((await this.#loop(loopId)).explain) return undefined;
      state = await this.#service.linearRankState?.(loopId);
    } catch {
      return undefined; // the main path reports it, after the body's own errors as always
    }
    if (state === undefined) return undefined;
    const a = await thread.rank(loopId, state, text);
    if (a.t === "refused") {
      throw new BanditryError(a.code as ErrorCode, a.message, a.field === undefined ? {} : { field: a.field });
    }
    if (a.t !== "ranked") return undefined;
    const eventId = a.eventId;
    const ranking = a.ids.map((id, i) => ({ armId: id, probability: a.probabilities[i]! }));
    const decision = {
      armId: a.ids[a.served]!,
      ranking,
      propensity: a.probabilities[a.served]!,
      seed: state.seed,
      featuresText: a.featuresText,
      ...(a.featureSpans.length > 0 ? { featureSpans: a.featureSpans, featureDigests: a.featureDigests } : {}),
      rankingText: a.rankingText,
    };
    try {
      await this.#decide(
        {
          experimentId: loopId,
          eventId: loopEventId(loopId, eventId),
          activate: !a.deferActivation,
          prepared: { state, ids: a.ids, decision },
        },
        eventId,
      );
    } catch (e) {
      if (e instanceof StaleLinearState) return undefined;
      throw e;
    }
    // the thread's answer is rankResponse(result) for this decision: served as it wrote it
    return new JsonText(a.responseText);
  }

  async #decide(input: Parameters<DecisionService["decide"]>[0], eventId: string) {
    try {
      return await this.#service.decide(input);
    } catch (e) {
      if (isBanditryError(e) && e.code === "BANDITRY_EVENT_EXISTS") {
        throw new BanditryError("BANDITRY_EVENT_EXISTS", `eventId ${JSON.stringify(eventId)} was already used`, {
          field: "eventId",
        });
      }
      throw e;
    }
  }

  /** A repeated reward is ignored under "earliest", as Personalizer did (only the first counts). */
  async reward(loopId: string, eventId: string, body: unknown): Promise<void> {
    const value = readRewardValue(readObject(body, "body").value, "value");
    await this.#reward(loopEventId(loopId, readEventIdParam(eventId)), value, eventId, "eventId");
  }

  async #reward(id: string, value: number, shownId: string, field: string): Promise<void> {
    try {
      await this.#service.reward(id, value);
    } catch (e) {
      if (!isBanditryError(e)) throw e;
      if (e.code === "BANDITRY_REWARD_EXISTS") return;
      if (e.code === "BANDITRY_EVENT_NOT_FOUND") throw unknownEvent(shownId, field);
      throw e;
    }
  }

  async activate(loopId: string, eventId: string): Promise<void> {
    try {
      await this.#service.activate(loopEventId(loopId, readEventIdParam(eventId)));
    } catch (e) {
      if (isBanditryError(e) && e.code === "BANDITRY_EVENT_NOT_FOUND") throw unknownEvent(eventId, "eventId");
      throw e;
    }
  }

  /**
   * One decision per slot, in slot order, each among the actions no earlier slot took, with the
   * slot's id and features added to the context; logged under multiSlotEventId.
   */
  async multiSlotRank(
    loopId: string,
    body: unknown,
  ): Promise<{ slots: { id: string; rewardActionId: string }[]; eventId: string }> {
    const req = readMultiSlotRankRequest(body);
    const { explain } = await this.#loop(loopId);
    const eventId = req.eventId ?? newEventId();
    const context =
      req.contextFeatures === undefined
        ? []
        : Array.isArray(req.contextFeatures)
          ? req.contextFeatures
          : [req.contextFeatures];
    const taken = new Set<string>();
    const slots: { id: string; rewardActionId: string }[] = [];
    for (const [i, slot] of req.slots.entries()) {
      const excluded = new Set([...slot.excludedActions, ...taken]);
      if (req.actions.every((a) => excluded.has(a.id))) {
        throw new BanditryError(
          "BANDITRY_VALIDATION",
          `slots[${i}] has no action left: every action is excluded or taken by an earlier slot`,
          { field: `slots[${i}].excludedActions` },
        );
      }
      const slotFeatures =
        slot.features === undefined ? [] : Array.isArray(slot.features) ? slot.features : [slot.features];
      const result = await this.#decide(
        {
          experimentId: loopId,
          eventId: multiSlotEventId(loopId, eventId, slot.id),
          actions: req.actions,
          contextFeatures: [...context, { _slot: { id: slot.id } }, ...slotFeatures],
          excludedActions: [...excluded],
          ...(excluded.has(slot.baselineAction) ? {} : { baselineAction: slot.baselineAction }),
          activate: !req.deferActivation,
          explain,
        },
        eventId,
      );
      taken.add(result.arm.id);
      slots.push({ id: slot.id, rewardActionId: result.arm.id });
    }
    return { slots, eventId };
  }

  async multiSlotReward(loopId: string, eventId: string, body: unknown): Promise<void> {
    const rewards = readMultiSlotReward(body);
    const id = readEventIdParam(eventId);
    const results = await Promise.allSettled(
      rewards.map((r, i) =>
        this.#reward(
          multiSlotEventId(loopId, id, r.slotId),
          r.value,
          `${id}" slot "${r.slotId}`,
          `reward[${i}].slotId`,
        ),
      ),
    );
    for (const r of results) if (r.status === "rejected") throw r.reason;
  }

  async multiSlotActivate(loopId: string, eventId: string): Promise<void> {
    const prefix = multiSlotEventPrefix(loopId, readEventIdParam(eventId));
    const ids = await this.#store.eventIdsWithPrefix(loopId, prefix, MAX_SLOTS);
    if (ids.length === 0) throw unknownEvent(eventId, "eventId");
    await Promise.all(ids.map((id) => this.#service.activate(id)));
  }

  async serviceConfiguration(loopId: string, style: DurationStyle): Promise<ServiceConfiguration> {
    return serviceConfigurationOf((await this.#loop(loopId)).loop, style);
  }

  async updateServiceConfiguration(loopId: string, body: unknown, style: DurationStyle): Promise<ServiceConfiguration> {
    const current = await this.#fresh(loopId);
    const updated = await this.#service.updateExperiment(
      loopId,
      serviceConfigurationUpdate(body, current, this.#now()),
    );
    this.#settings.delete(loopId);
    return serviceConfigurationOf(updated, style);
  }

  async policy(loopId: string): Promise<PolicyContract> {
    return loopMetadata((await this.#loop(loopId)).loop).policy;
  }

  /** Sets the learning settings; a change of what the model's evidence means resets the model (engine). */
  async updatePolicy(loopId: string, body: unknown): Promise<PolicyContract> {
    const o = readObject(body, "body");
    const name = readString(o.name, "name", { max: MAX_ID_LENGTH });
    const args = readString(o.arguments, "arguments", { min: 0, max: 4096 });
    const linear = loopLinearOptions(args);
    const current = await this.#fresh(loopId);
    const meta = { ...loopMetadata(current), policy: { name, arguments: args } };
    meta.lastConfigurationEditDate = new Date(this.#now()).toISOString();
    await this.#service.updateExperiment(loopId, { linear, metadata: withLoopMetadata(current, meta) });
    this.#settings.delete(loopId);
    return { name, arguments: args };
  }

  resetPolicy(loopId: string): Promise<PolicyContract> {
    return this.updatePolicy(loopId, DEFAULT_POLICY);
  }

  async #fresh(loopId: string): Promise<Experiment> {
    this.#settings.delete(loopId);
    return (await this.#loop(loopId)).loop;
  }

  /** null when the loop has no logs. */
  async logProperties(loopId: string): Promise<{ dateRange: { from: string; to: string } } | null> {
    await this.#loop(loopId);
    const range = await this.#store.logDateRange(loopId);
    if (range === null) return null;
    return { dateRange: { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() } };
  }

  async deleteLogs(loopId: string): Promise<void> {
    await this.#loop(loopId);
    // the model stays: a restart starts from this snapshot, as the log it was learned from is gone
    await this.#service.saveModel(loopId);
    await this.#store.deleteLogs(loopId);
  }

  /** The model as banditry exports it (LinearThompsonJSON with its dates), as JSON bytes. */
  async model(loopId: string): Promise<Buffer> {
    await this.#loop(loopId);
    const m = await this.#service.exportModel(loopId);
    return Buffer.from(
      JSON.stringify({
        format: "banditry-linear-thompson",
        loopId,
        learnedRewards: m.learnedRewards,
        creationTime: new Date(m.createdAt).toISOString(),
        lastModifiedTime: new Date(m.updatedAt).toISOString(),
        model: m.model,
      }),
    );
  }

  async resetModel(loopId: string): Promise<void> {
    await this.#loop(loopId);
    await this.#service.resetModel(loopId);
  }

  async modelProperties(loopId: string): Promise<{ creationTime: string; lastModifiedTime: string }> {
    await this.#loop(loopId);
    const m = await this.#service.exportModel(loopId);
    return { creationTime: new Date(m.createdAt).toISOString(), lastModifiedTime: new Date(m.updatedAt).toISOString() };
  }

  async learningMetrics(
    loopId: string,
    query: Record<string, unknown>,
    style: DurationStyle,
  ): Promise<LearningMetrics> {
    await this.#loop(loopId);
    return learningMetrics(this.#store, loopId, query, this.#now(), style);
  }

  /** Settings changed elsewhere (applyFromEvaluation): the next call reads them afresh. */
  forget(loopId: string): void {
    this.#settings.delete(loopId);
  }
}

function readEventIdParam(eventId: string): string {
  return readString(eventId, "eventId", { max: MAX_ID_LENGTH });
}

function unknownEvent(eventId: string, field: string): BanditryError {
  return new BanditryError("BANDITRY_EVENT_NOT_FOUND", `no rank event with eventId "${eventId}" in this loop`, {
    field,
  });
}

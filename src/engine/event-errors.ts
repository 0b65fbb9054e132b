import { BanditryError } from "../domain/errors.js";

/* The engine's refusals of an event id, with the field they name. */

export function eventExists(id: string): BanditryError {
  return new BanditryError("BANDITRY_EVENT_EXISTS", `eventId ${JSON.stringify(id)} was already used`, {
    field: "eventId",
  });
}

export function eventNotFound(id: string): BanditryError {
  return new BanditryError("BANDITRY_EVENT_NOT_FOUND", `no decision with eventId ${JSON.stringify(id)}`, {
    field: "eventId",
  });
}

export function rewardExists(id: string): BanditryError {
  return new BanditryError(
    "BANDITRY_REWARD_EXISTS",
    `eventId ${JSON.stringify(id)} already has a reward and the experiment aggregates rewards by "earliest"`,
    { field: "eventId" },
  );
}

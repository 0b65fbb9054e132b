import { createHash } from "node:crypto";

/** The engine's longest event id. */
const MAX_EVENT_ID = 256;
/** Beyond this, a multi-slot event's part of the id is hashed (leaves room for the slot part). */
const MAX_MULTI_SLOT_PREFIX = 200;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/**
 * The engine's event id of a loop's event, so that loops sharing one server may reuse each
 * other's event ids and a key bound to one loop cannot touch another loop's events:
 * `<loopId>/<eventId>`, or `<loopId>!<sha256>` when that exceeds 256 characters. Loop ids
 * (experiment ids) never contain "/", "#", "!" or "%", so the forms cannot collide.
 */
export function loopEventId(loopId: string, eventId: string): string {
  const full = `${loopId}/${eventId}`;
  return full.length <= MAX_EVENT_ID ? full : `${loopId}!${sha256(full)}`;
}

/**
 * Every slot decision of one multi-slot event starts with this prefix (`<loopId>#/<eventId>/`,
 * or `<loopId>#!<sha256 of eventId>/` when long), so activation finds them with one range read.
 */
export function multiSlotEventPrefix(loopId: string, eventId: string): string {
  const readable = `${loopId}#/${eventId}/`;
  return readable.length <= MAX_MULTI_SLOT_PREFIX ? readable : `${loopId}#!${sha256(eventId)}/`;
}

/** One slot's decision: the prefix, then the slot id percent-encoded (no "/"), or "%%<sha256>" when too long. */
export function multiSlotEventId(loopId: string, eventId: string, slotId: string): string {
  const prefix = multiSlotEventPrefix(loopId, eventId);
  const slot = encodeURIComponent(slotId);
  return prefix.length + slot.length <= MAX_EVENT_ID ? prefix + slot : `${prefix}%%${sha256(slotId)}`;
}

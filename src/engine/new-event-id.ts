import { randomUUID } from "node:crypto";

/**
 * A generated event id: a UUIDv7 (RFC 9562) — the millisecond time in its first 48 bits, random
 * bits after. Time-ordered ids land at the right edge of the decisions primary-key index, so a
 * group commit dirties a few index pages instead of one random page per decision.
 */
export function newEventId(now = Date.now()): string {
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: keep its 74 random bits and variant
  const time = now.toString(16).padStart(12, "0");
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}

import { BanditryError } from "../../../domain/errors.js";

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Epoch day of a YYYY-MM-DD date (UTC). */
export function epochDay(date: string, field = "date"): number {
  const ms = DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new BanditryError("BANDITRY_INVALID_PARAMETER", `${field} must be a YYYY-MM-DD date, got ${date}`, {
      field,
    });
  }
  return ms / DAY_MS;
}

/** YYYY-MM-DD of an epoch day. */
export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** Demand by day of week, Sunday first, mean 1: shoppers buy more at weekends. */
export const WEEKLY_SEASONALITY: readonly number[] = (() => {
  const raw = [1.08, 0.97, 0.95, 0.96, 0.98, 1.0, 1.06];
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  return raw.map((x) => x / mean);
})();

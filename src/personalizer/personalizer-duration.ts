import { invalid } from "../domain/validate.js";

/**
 * Personalizer's durations: ISO-8601 (`PT10M`, `P1DT2H`) in the v1.1 previews, .NET TimeSpan
 * (`00:10:00`, `1.02:00:00`) in v1.0's examples. Both are read everywhere; an answer uses the
 * style of the API version asked.
 */
export type DurationStyle = "iso" | "timespan";

const NUMBER = String.raw`(\d+(?:[.,]\d+)?)`;
const ISO = new RegExp(`^P(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`, "i");
const TIMESPAN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/;

function num(text: string | undefined): number {
  return text === undefined ? 0 : Number(text.replace(",", "."));
}

/** Seconds of a duration string; throws BANDITRY_VALIDATION naming `field`. */
export function parseDuration(value: unknown, field: string): number {
  if (typeof value !== "string" || value.length === 0 || value.length > 64) {
    invalid(field, `must be a duration such as "PT10M" or "00:10:00", got ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  const iso = ISO.exec(value);
  if (iso !== null && !/T$/i.test(value) && value.length > 1) {
    const [, w, d, h, m, s] = iso;
    const seconds = num(w) * 604_800 + num(d) * 86_400 + num(h) * 3600 + num(m) * 60 + num(s);
    if (Number.isFinite(seconds)) return seconds;
  }
  const span = TIMESPAN.exec(value);
  if (span !== null) {
    const [, negative, d, h, m, s, fraction] = span;
    if (num(h) < 24 && num(m) < 60 && num(s) < 60 && negative === undefined) {
      return num(d) * 86_400 + num(h) * 3600 + num(m) * 60 + num(s) + (fraction ? Number(`0.${fraction}`) : 0);
    }
  }
  return invalid(
    field,
    `must be an ISO-8601 duration ("PT10M", "P1DT2H") or "hh:mm:ss" / "d.hh:mm:ss", got ${JSON.stringify(value)}`,
  );
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** A duration in seconds as Personalizer wrote it: `PT10M` / `P1DT2H` or `00:10:00` / `1.02:00:00`. */
export function formatDuration(seconds: number, style: DurationStyle): string {
  const whole = Math.floor(seconds);
  const fraction = Math.round((seconds - whole) * 1e7) / 1e7;
  const days = Math.floor(whole / 86_400);
  const h = Math.floor((whole % 86_400) / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = (whole % 60) + fraction;
  if (style === "timespan") {
    const frac = fraction > 0 ? `.${String(Math.round(fraction * 1e7)).padStart(7, "0")}` : "";
    return `${days > 0 ? `${days}.` : ""}${pad(h)}:${pad(m)}:${pad(Math.floor(s))}${frac}`;
  }
  let time = "";
  if (h > 0) time += `${h}H`;
  if (m > 0) time += `${m}M`;
  if (s > 0) time += `${Number(s.toFixed(7))}S`;
  if (days === 0 && time === "") return "PT0S";
  return `P${days > 0 ? `${days}D` : ""}${time === "" ? "" : `T${time}`}`;
}

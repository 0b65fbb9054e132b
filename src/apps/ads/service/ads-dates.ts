const DAY_MS = 86_400_000;

/** YYYY-MM-DD `days` after (or before, when negative) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date at epoch ms `now` in an IANA time zone (a profile's), YYYY-MM-DD. */
export function dateIn(timezone: string, now: number): string {
  try {
    // en-CA formats as YYYY-MM-DD
    return new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(now);
  } catch {
    return new Date(now).toISOString().slice(0, 10);
  }
}

/**
 * Calendar days and times in the network timezone (NETWORK_TIMEZONE, an IANA
 * name), the one module for them: how the console shows times, reads its
 * date-range filters (a "to" date is inclusive: the range ends at the start of
 * the next day) and where /rubric?as_of days end. Only Intl is used: no
 * timezone database of our own. Days are not always 24 h long (DST), so a
 * day's end is found from the next day's start.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    formatters.set(tz, f);
  }
  return f;
}

export function isTimeZone(tz: string): boolean {
  try { formatter(tz); return true; } catch { return false; }
}

/** Wall-clock fields of instant `t` in `tz`. */
function wall(t: number, tz: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(t)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** Milliseconds `tz` is ahead of UTC at instant `t` (whole seconds). */
function offsetAt(t: number, tz: string): number {
  const w = wall(t, tz);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(t / 1000) * 1000;
}

/** The first instant of the local day y-m-d in `tz` (month 1-12; overflowing days roll over like Date.UTC). */
function startOfLocalDay(y: number, m: number, d: number, tz: string): number {
  const local = Date.UTC(y, m - 1, d);
  const date = new Date(local).toISOString().slice(0, 10);
  // Try the offsets in force a day and a half either side (one DST change at most in between): the start is
  // the earliest candidate that falls on the day while the instant before it does not. Where local midnight
  // does not exist (DST at 00:00), that is the end of the gap.
  const candidates = [local - offsetAt(local - 36 * 3600_000, tz), local - offsetAt(local + 36 * 3600_000, tz)].sort((a, b) => a - b);
  for (const t of candidates) if (zonedDate(t, tz) === date && zonedDate(t - 1, tz) < date) return t;
  return candidates[0]!;
}

/** `YYYY-MM-DD` of instant `t` in `tz`. */
export function zonedDate(t: number, tz: string): string {
  const w = wall(t, tz);
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** `YYYY-MM-DD` -> the last millisecond of that day in `tz`; null if it is not a real date. */
export function zonedDayEnd(date: string, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (new Date(Date.UTC(y, mo - 1, d)).toISOString().slice(0, 10) !== date) return null;
  return startOfLocalDay(y, mo, d + 1, tz) - 1;
}


/** "2026-11-02 13:05" (or with seconds) in the zone. */
export function formatInZone(ms: number, tz: string, seconds = false): string {
  const w = wall(ms, tz);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${zonedDate(ms, tz)} ${two(w.hour)}:${two(w.minute)}${seconds ? `:${two(w.second)}` : ""}`;
}

/** The instant a calendar day (YYYY-MM-DD) starts in the zone; null when not a real date. */
export function dayStartInZone(date: string, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (new Date(Date.UTC(y, mo - 1, d)).toISOString().slice(0, 10) !== date) return null;
  return startOfLocalDay(y, mo, d, tz);
}

/** The calendar day after YYYY-MM-DD. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10);
}

/**
 * Period boundaries in the network timezone, pure: every function takes `now`
 * (ms) and the IANA zone. Boundaries are local midnights converted to UTC ms,
 * so a day is 23 or 25 hours across a DST change and a month starts on the 1st
 * at local midnight.
 */
export const PERIODS = ["today", "yesterday", "this_month", "last_month"] as const;
export type PeriodKind = (typeof PERIODS)[number];

/** [start, end) in UTC ms. */
export interface Range { start: number; end: number }
/** A period and the previous equivalent one its trend compares against. */
export interface Period { kind: PeriodKind; current: Range; previous: Range }

export interface LocalDate { y: number; m: number; d: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall-clock fields of instant `t` in `tz`. */
function wall(t: number, tz: string) {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(t))) if (part.type !== "literal") p[part.type] = Number(part.value);
  return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, min: p.minute!, s: p.second! };
}

/** Offset of `tz` from UTC at instant `t`, in ms (UTC+1 -> 3_600_000). */
export function zoneOffset(t: number, tz: string): number {
  const w = wall(t, tz);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(t / 1000) * 1000;
}

/** The local date of instant `t` in `tz`. */
export function localDate(t: number, tz: string): LocalDate {
  const w = wall(t, tz);
  return { y: w.y, m: w.m, d: w.d };
}

/** UTC ms of local midnight starting date (y, m, d) in `tz` (month and day may overflow: Date.UTC normalises). */
export function localMidnight(y: number, m: number, d: number, tz: string): number {
  const naive = Date.UTC(y, m - 1, d);
  // Two passes: the offset at the guess may differ from the offset at the answer across a DST change.
  const guess = naive - zoneOffset(naive, tz);
  return naive - zoneOffset(guess, tz);
}

/** "2026-11-02" for the local day starting at UTC ms `t`. */
export function dayKey(t: number, tz: string): string {
  const { y, m, d } = localDate(t, tz);
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * A running period (today, this month) compares with the previous one cut to
 * the same elapsed time (today until 10:00 vs yesterday until 10:00), so a
 * morning is never measured against a whole day. A finished period compares
 * with the whole period before it.
 */
export function periodOf(kind: PeriodKind, now: number, tz: string): Period {
  const { y, m, d } = localDate(now, tz);
  const day = (offset: number): Range => ({ start: localMidnight(y, m, d + offset, tz), end: localMidnight(y, m, d + offset + 1, tz) });
  const month = (offset: number): Range => ({ start: localMidnight(y, m + offset, 1, tz), end: localMidnight(y, m + offset + 1, 1, tz) });
  const running = (cur: Range, prev: Range): Period => ({
    // end = now + 1: [start, end) includes what happened at this very millisecond.
    kind, current: { start: cur.start, end: now + 1 }, previous: { start: prev.start, end: Math.min(prev.end, prev.start + (now + 1 - cur.start)) },
  });
  switch (kind) {
    case "today": return running(day(0), day(-1));
    case "yesterday": return { kind, current: day(-1), previous: day(-2) };
    case "this_month": return running(month(0), month(-1));
    case "last_month": return { kind, current: month(-1), previous: month(-2) };
  }
}

/** The local days of the last `days` days ending with today: [start of each day], oldest first. */
export function lastDays(days: number, now: number, tz: string): number[] {
  const { y, m, d } = localDate(now, tz);
  return Array.from({ length: days }, (_, i) => localMidnight(y, m, d - (days - 1) + i, tz));
}

export interface Trend { pct: number | null; direction: "up" | "down" | "flat" }
/**
 * Change against the previous period in whole percent (rounded half away from
 * zero). From zero to something has no percentage: pct null, direction up.
 */
export function trend(current: number, previous: number): Trend {
  if (current === previous) return { pct: 0, direction: "flat" };
  if (previous === 0) return { pct: null, direction: current > 0 ? "up" : "down" };
  const raw = ((current - previous) / Math.abs(previous)) * 100;
  const pct = Math.sign(raw) * Math.round(Math.abs(raw));
  return { pct, direction: pct > 0 ? "up" : pct < 0 ? "down" : "flat" };
}

/** "+12%", "-3%", "0%", "new" (from zero). */
export function trendText(t: Trend): string {
  if (t.pct === null) return t.direction === "up" ? "new" : "—";
  return `${t.pct > 0 ? "+" : ""}${t.pct}%`;
}


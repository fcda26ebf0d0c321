/**
 * Billing periods are calendar months in the network timezone ("2026-11").
 * A period's instants are computed from the zone's UTC offset with Intl, so
 * daylight-saving changes and zones east/west of UTC land on local midnight.
 */
export const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export interface Period { key: string; year: number; month: number; start: number; end: number }

/** Offset of `zone` from UTC at instant `t`, in ms (east positive). */
export function zoneOffset(t: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** The instant of local midnight starting day 1 of month (1-12) of `year` in `zone`. */
export function monthStart(year: number, month: number, zone: string): number {
  const naive = Date.UTC(year, month - 1, 1);
  let t = naive - zoneOffset(naive, zone);
  t = naive - zoneOffset(t, zone); // second pass: the offset at the real instant (DST edges)
  return t;
}

export function periodKey(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, "0")}`;
}

/** "2026-11" -> its start and exclusive end instants in `zone`; null when malformed. */
export function parsePeriod(key: string, zone: string): Period | null {
  const m = PERIOD_RE.exec(key);
  if (!m) return null;
  const year = Number(m[1]), month = Number(m[2]);
  if (year < 2000 || year > 9998) return null;
  const next = month === 12 ? [year + 1, 1] as const : [year, month + 1] as const;
  return { key, year, month, start: monthStart(year, month, zone), end: monthStart(next[0], next[1], zone) };
}

/** The period containing instant `t` in `zone`. */
export function periodOf(t: number, zone: string): Period {
  const local = new Date(t + zoneOffset(t, zone));
  return parsePeriod(periodKey(local.getUTCFullYear(), local.getUTCMonth() + 1), zone)!;
}

/** The period just before `p`. */
export function previousPeriod(p: Period, zone: string): Period {
  return p.month === 1 ? parsePeriod(periodKey(p.year - 1, 12), zone)! : parsePeriod(periodKey(p.year, p.month - 1), zone)!;
}

export function nextPeriod(p: Period, zone: string): Period {
  return p.month === 12 ? parsePeriod(periodKey(p.year + 1, 1), zone)! : parsePeriod(periodKey(p.year, p.month + 1), zone)!;
}

/** A local calendar day (1-based) of the month after `p`, at local midnight: payouts are due on the 15th. */
export function dayAfterPeriod(p: Period, day: number, zone: string): number {
  const n = nextPeriod(p, zone);
  const naive = Date.UTC(n.year, n.month - 1, day);
  return naive - zoneOffset(naive - zoneOffset(naive, zone), zone);
}

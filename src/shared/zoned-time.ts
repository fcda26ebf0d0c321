/**
 * Dates in the network timezone (config NETWORK_TIMEZONE): how the console
 * shows times and reads the date-range filters (a "to" date is inclusive: the
 * range ends at the start of the next day in that zone).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function parts(tz: string) {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
    formatters.set(tz, f);
  }
  return f;
}

function fields(ms: number, tz: string): Record<string, string> {
  return Object.fromEntries(parts(tz).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
}

/** "2026-11-02 13:05" in the zone. */
export function formatInZone(ms: number, tz: string, seconds = false): string {
  const f = fields(ms, tz);
  return `${f.year}-${f.month}-${f.day} ${f.hour}:${f.minute}${seconds ? `:${f.second}` : ""}`;
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(ms: number, tz: string): number {
  const f = fields(ms, tz);
  const asUtc = Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute), Number(f.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant a calendar day (YYYY-MM-DD) starts in the zone; null when not a date. */
export function dayStartInZone(date: string, tz: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== date) return null;
  // Two passes settle the offset across a DST change.
  let t = utc - offsetAt(utc, tz);
  t = utc - offsetAt(t, tz);
  return t;
}

export function nextDay(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10);
}

/** A valid IANA zone name? (config falls back to UTC when not.) */
export function validZone(tz: string): boolean {
  try { new Intl.DateTimeFormat("en", { timeZone: tz }); return true; } catch { return false; }
}

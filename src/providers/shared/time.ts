/** Platform timestamps -> epoch ms. */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
/** Accept 2000-01-01 .. 2100-01-01: outside that it is a wrong field, not a date. */
const MIN = Date.UTC(2000, 0, 1);
const MAX = Date.UTC(2100, 0, 1);

/**
 * "2026-06-01T10:00:00+02:00", "2026-06-01 10:00:00" (no zone = UTC),
 * "2026-06-01", unix seconds ("1780000000", with or without a fraction) or
 * unix milliseconds ("1780000000000"). Null when it is none of these.
 */
export function parseTimestamp(text: string): number | null {
  const t = text.trim();
  let ms: number | null = null;
  if (/^\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    // 1e11 seconds is the year 5138 and 1e11 ms is 1973: unambiguous in range.
    ms = n >= 1e11 ? Math.trunc(n) : Math.round(n * 1000);
  } else {
    ms = parseIso(t);
  }
  return ms !== null && ms >= MIN && ms < MAX ? ms : null;
}

function parseIso(t: string): number | null {
  const m = ISO.exec(t);
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone = "Z"] = m;
  const fracMs = frac ? Math.round(Number(`0${frac}`) * 1000) : 0;
  const local = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, fracMs);
  const check = new Date(local);
  // Reject overflowing fields ("2026-02-30", "25:00") instead of rolling them over.
  if (check.getUTCFullYear() !== +y! || check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d!
    || check.getUTCHours() !== +h || check.getUTCMinutes() !== +mi || check.getUTCSeconds() !== +s) return null;
  return local - offsetMs(zone);
}

function offsetMs(zone: string): number {
  if (/^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? "0");
  return (m[1] === "-" ? -1 : 1) * minutes * 60_000;
}

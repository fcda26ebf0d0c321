import { describe, expect, test } from "bun:test";
import { dayKey, lastDays, localMidnight, periodOf, trend, trendText, zoneOffset } from "./periods";

const iso = (t: number) => new Date(t).toISOString();
const at = (s: string) => Date.parse(s);

describe("localMidnight / zoneOffset", () => {
  test.each([
    ["UTC", 2026, 11, 2, "2026-11-02T00:00:00.000Z"],
    ["Europe/Berlin", 2026, 11, 2, "2026-11-01T23:00:00.000Z"], // CET, UTC+1
    ["Europe/Berlin", 2026, 7, 1, "2026-06-30T22:00:00.000Z"], // CEST, UTC+2
    ["America/New_York", 2026, 3, 8, "2026-03-08T05:00:00.000Z"], // the DST day starts before the 02:00 jump: still EST
    ["America/New_York", 2026, 3, 9, "2026-03-09T04:00:00.000Z"], // first full EDT day
    ["Asia/Kolkata", 2026, 1, 1, "2025-12-31T18:30:00.000Z"], // half-hour offset
    ["Asia/Kathmandu", 2026, 1, 1, "2025-12-31T18:15:00.000Z"], // quarter-hour offset
    ["Pacific/Auckland", 2026, 1, 1, "2025-12-31T11:00:00.000Z"], // NZDT, the date line side
    ["UTC", 2026, 13, 1, "2027-01-01T00:00:00.000Z"], // month overflow rolls into the next year
    ["UTC", 2026, 3, 0, "2026-02-28T00:00:00.000Z"], // day 0 = last day of the month before
  ] as const)("%s %d-%d-%d", (tz, y, m, d, want) => {
    expect(iso(localMidnight(y, m, d, tz))).toBe(want);
  });
  test("offsets", () => {
    expect(zoneOffset(at("2026-07-01T12:00:00Z"), "Europe/Berlin")).toBe(2 * 3_600_000);
    expect(zoneOffset(at("2026-01-01T12:00:00Z"), "America/New_York")).toBe(-5 * 3_600_000);
  });
});

describe("periodOf", () => {
  const now = at("2026-11-02T10:30:00Z");
  test.each([
    // kind, tz, current [start, end), previous [start, end)
    ["today", "UTC", "2026-11-02T00:00:00.000Z", "2026-11-02T10:30:00.001Z", "2026-11-01T00:00:00.000Z", "2026-11-01T10:30:00.001Z"],
    ["yesterday", "UTC", "2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z", "2026-10-31T00:00:00.000Z", "2026-11-01T00:00:00.000Z"],
    ["this_month", "UTC", "2026-11-01T00:00:00.000Z", "2026-11-02T10:30:00.001Z", "2026-10-01T00:00:00.000Z", "2026-10-02T10:30:00.001Z"],
    ["last_month", "UTC", "2026-10-01T00:00:00.000Z", "2026-11-01T00:00:00.000Z", "2026-09-01T00:00:00.000Z", "2026-10-01T00:00:00.000Z"],
    // Berlin: 10:30Z is 11:30 local; Oct 25 was the switch from CEST to CET, so October is one hour longer.
    ["last_month", "Europe/Berlin", "2026-09-30T22:00:00.000Z", "2026-10-31T23:00:00.000Z", "2026-08-31T22:00:00.000Z", "2026-09-30T22:00:00.000Z"],
    ["today", "America/Los_Angeles", "2026-11-02T08:00:00.000Z", "2026-11-02T10:30:00.001Z", "2026-11-01T07:00:00.000Z", "2026-11-01T09:30:00.001Z"],
  ] as const)("%s in %s", (kind, tz, cs, ce, ps, pe) => {
    const p = periodOf(kind, now, tz);
    expect([iso(p.current.start), iso(p.current.end), iso(p.previous.start), iso(p.previous.end)]).toEqual([cs, ce, ps, pe]);
  });

  test("a running month compared with a shorter previous month stops at that month's end", () => {
    // 31 March 20:00: this month has run 30d20h; February (28 days) is compared whole.
    const p = periodOf("this_month", at("2026-03-31T20:00:00Z"), "UTC");
    expect(iso(p.previous.start)).toBe("2026-02-01T00:00:00.000Z");
    expect(iso(p.previous.end)).toBe("2026-03-01T00:00:00.000Z");
  });

  test("a day in the network timezone: just after local midnight is already 'today'", () => {
    const p = periodOf("today", at("2026-11-02T23:30:00Z"), "Europe/Berlin"); // 00:30 on Nov 3 in Berlin
    expect(iso(p.current.start)).toBe("2026-11-02T23:00:00.000Z");
  });
});

describe("lastDays / dayKey", () => {
  test("30 local days ending today, oldest first, across a DST change", () => {
    const days = lastDays(30, at("2026-11-02T10:00:00Z"), "Europe/Berlin");
    expect(days.length).toBe(30);
    expect(dayKey(days[0]!, "Europe/Berlin")).toBe("2026-10-04");
    expect(dayKey(days[29]!, "Europe/Berlin")).toBe("2026-11-02");
    expect(iso(days[21]!)).toBe("2026-10-24T22:00:00.000Z"); // Oct 25 starts in CEST
    expect(iso(days[22]!)).toBe("2026-10-25T23:00:00.000Z"); // Oct 26 in CET: the 25th had 25 hours
  });
});

describe("trend", () => {
  test.each([
    [120, 100, 20, "up", "+20%"],
    [80, 100, -20, "down", "-20%"],
    [100, 100, 0, "flat", "0%"],
    [0, 0, 0, "flat", "0%"],
    [5, 0, null, "up", "new"],
    [0, 7, -100, "down", "-100%"],
    [1001, 1000, 0, "flat", "0%"], // 0.1% rounds to no change
    [1005, 1000, 1, "up", "+1%"], // 0.5 rounds away from zero
    [995, 1000, -1, "down", "-1%"],
    [-50, 100, -150, "down", "-150%"], // negative adjustments: relative to the size of the previous value
  ] as const)("%d vs %d", (cur, prev, pct, direction, text) => {
    const t = trend(cur, prev);
    expect(t).toEqual({ pct, direction });
    expect(trendText(t)).toBe(text);
  });
});

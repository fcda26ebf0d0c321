import { describe, expect, test } from "bun:test";
import { isTimeZone, zonedDate, zonedDayEnd } from "./zoned-time";

const at = (s: string) => Date.parse(s);

describe("zonedDayEnd: the last millisecond of a calendar day in the network timezone", () => {
  test.each([
    ["UTC", "2026-11-15", "2026-11-15T23:59:59.999Z"],
    ["Europe/Berlin", "2026-11-15", "2026-11-15T22:59:59.999Z"],          // UTC+1 in winter
    ["Europe/Berlin", "2026-07-15", "2026-07-15T21:59:59.999Z"],          // UTC+2 in summer
    ["Europe/Berlin", "2026-03-28", "2026-03-28T22:59:59.999Z"],          // the day before spring-forward ends at +1
    ["Europe/Berlin", "2026-03-29", "2026-03-29T21:59:59.999Z"],          // 23-hour day, ends at +2
    ["America/New_York", "2026-10-31", "2026-11-01T03:59:59.999Z"],       // ends at -4
    ["America/New_York", "2026-11-01", "2026-11-02T04:59:59.999Z"],       // 25-hour day, ends at -5
    ["Asia/Kolkata", "2026-11-15", "2026-11-15T18:29:59.999Z"],           // +5:30
    ["Pacific/Kiritimati", "2026-12-31", "2026-12-31T09:59:59.999Z"],     // +14, year end
    ["America/Santiago", "2026-09-05", "2026-09-06T03:59:59.999Z"],       // next day's midnight does not exist (DST at 00:00): ends at the gap
  ])("%s %s ends at %s", (tz, date, end) => {
    expect(new Date(zonedDayEnd(date, tz)!).toISOString()).toBe(end);
  });

  test.each(["2026-02-30", "2026-13-01", "yesterday", "2026-1-01", ""])("%p is not a date", (d) => {
    expect(zonedDayEnd(d, "UTC")).toBeNull();
  });
});

describe("zonedDate", () => {
  test.each([
    ["UTC", "2026-11-15T23:30:00Z", "2026-11-15"],
    ["Europe/Berlin", "2026-11-15T23:30:00Z", "2026-11-16"],
    ["America/Los_Angeles", "2026-11-16T07:59:59Z", "2026-11-15"],
    ["America/Los_Angeles", "2026-11-16T08:00:00Z", "2026-11-16"],
  ])("%s at %s is %s", (tz, t, day) => {
    expect(zonedDate(at(t), tz)).toBe(day);
  });

  test("a day's end is still that day, the next millisecond is the next day", () => {
    for (const tz of ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati"]) {
      const end = zonedDayEnd("2026-11-01", tz)!;
      expect([zonedDate(end, tz), zonedDate(end + 1, tz)]).toEqual(["2026-11-01", "2026-11-02"]);
    }
  });
});

test("isTimeZone accepts IANA names and rejects others", () => {
  expect(["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"].map(isTimeZone)).toEqual([true, true, true]);
  expect(["Mars/Olympus", "", "UTC+99"].map(isTimeZone)).toEqual([false, false, false]);
});

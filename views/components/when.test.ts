import { describe, expect, test } from "bun:test";
import { dayStart, formatWhen } from "./when";

describe("dates in the network timezone", () => {
  test.each([
    ["UTC", "2026-11-02", Date.UTC(2026, 10, 2)],
    ["America/New_York", "2026-11-02", Date.UTC(2026, 10, 2, 5)],      // EST, the day after DST ended
    ["America/New_York", "2026-11-01", Date.UTC(2026, 10, 1, 4)],      // DST ends at 2:00 that day: midnight is still EDT
    ["America/New_York", "2026-03-08", Date.UTC(2026, 2, 8, 5)],       // DST starts at 2:00: midnight is EST
    ["Asia/Kolkata", "2026-11-02", Date.UTC(2026, 10, 1, 18, 30)],    // +05:30
    ["Pacific/Auckland", "2026-01-01", Date.UTC(2025, 11, 31, 11)],    // +13:00 in summer
  ])("%s: %s starts at the right instant", (tz, day, expected) => {
    expect(dayStart(day, tz)).toBe(expected);
  });

  test.each(["2026-02-30", "2026-13-01", "26-11-02", "", null, undefined, "2026-11-02T00:00"])("not a day: %p", (d) => {
    expect(dayStart(d, "UTC")).toBeNull();
  });

  test("formats an instant as the local wall time", () => {
    expect(formatWhen(Date.UTC(2026, 10, 2, 12, 5), "UTC")).toBe("2026-11-02 12:05");
    expect(formatWhen("2026-11-02T12:05:00Z", "America/New_York")).toBe("2026-11-02 07:05");
    expect(formatWhen(Date.UTC(2026, 10, 2, 23, 59), "Asia/Kolkata")).toBe("2026-11-03 05:29");
  });
});

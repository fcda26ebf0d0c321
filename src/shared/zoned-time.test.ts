import { expect, test } from "bun:test";
import { dayStartInZone, formatInZone, nextDay } from "./zoned-time";

test("formats in the zone", () => {
  const t = Date.UTC(2026, 10, 2, 23, 30);
  expect(formatInZone(t, "UTC")).toBe("2026-11-02 23:30");
  expect(formatInZone(t, "Europe/Berlin")).toBe("2026-11-03 00:30");
  expect(formatInZone(t, "America/New_York", true)).toBe("2026-11-02 18:30:00");
});

test.each([
  ["2026-11-02", "UTC", Date.UTC(2026, 10, 2)],
  ["2026-11-02", "Europe/Berlin", Date.UTC(2026, 10, 1, 23)],
  ["2026-07-01", "Europe/Berlin", Date.UTC(2026, 5, 30, 22)],
  ["2026-03-29", "Europe/Berlin", Date.UTC(2026, 2, 28, 23)], // the day summer time starts
  ["2026-11-01", "America/New_York", Date.UTC(2026, 10, 1, 4)], // the day summer time ends
])("day %s starts in %s at the right instant", (d, tz, want) => {
  expect(dayStartInZone(d, tz)).toBe(want);
});

test("not a date -> null; next day across a month", () => {
  expect(dayStartInZone("2026-02-30", "UTC")).toBeNull();
  expect(dayStartInZone("yesterday", "UTC")).toBeNull();
  expect(nextDay("2026-11-30")).toBe("2026-12-01");
});

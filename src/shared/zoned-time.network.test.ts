import { expect, test } from "bun:test";
import { dayStartInZone, formatInZone, isTimeZone } from "./zoned-time";

test("formats an instant in the zone", () => {
  const t = Date.UTC(2026, 10, 2, 12, 5);
  expect(formatInZone(t, "UTC")).toBe("2026-11-02 12:05");
  expect(formatInZone(t, "America/New_York")).toBe("2026-11-02 07:05");
  expect(formatInZone(t, "Asia/Tokyo")).toBe("2026-11-02 21:05");
});

test("day start in a zone, across a DST change", () => {
  expect(dayStartInZone("2026-11-02", "UTC")).toBe(Date.UTC(2026, 10, 2));
  expect(dayStartInZone("2026-11-02", "America/New_York")).toBe(Date.UTC(2026, 10, 2, 5)); // EST
  expect(dayStartInZone("2026-07-01", "America/New_York")).toBe(Date.UTC(2026, 6, 1, 4)); // EDT
  expect(dayStartInZone("2026-11-01", "America/New_York")).toBe(Date.UTC(2026, 10, 1, 4)); // DST ends that day
  expect(dayStartInZone("2026-02-30", "UTC")).toBeNull();
  expect(dayStartInZone("yesterday", "UTC")).toBeNull();
});

test("IANA names", () => {
  expect(isTimeZone("Europe/Berlin")).toBe(true);
  expect(isTimeZone("UTC")).toBe(true);
  expect(isTimeZone("Mars/Olympus")).toBe(false);
  expect(isTimeZone("<script>")).toBe(false);
});

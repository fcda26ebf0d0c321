import { describe, expect, test } from "bun:test";
import { dayAfterPeriod, parsePeriod, periodOf, previousPeriod } from "./period";

describe("billing periods in the network timezone", () => {
  test.each([
    ["2026-11", "UTC", "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"],
    ["2026-12", "UTC", "2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
    // New York: EDT (-4) on Nov 1 before 2am local? Midnight Nov 1 2026 is still EDT; Dec 1 is EST (-5).
    ["2026-11", "America/New_York", "2026-11-01T04:00:00.000Z", "2026-12-01T05:00:00.000Z"],
    ["2026-03", "Europe/Berlin", "2026-02-28T23:00:00.000Z", "2026-03-31T22:00:00.000Z"],
    ["2026-01", "Asia/Tokyo", "2025-12-31T15:00:00.000Z", "2026-01-31T15:00:00.000Z"],
  ])("%s in %s", (key, zone, start, end) => {
    const p = parsePeriod(key, zone)!;
    expect(new Date(p.start).toISOString()).toBe(start);
    expect(new Date(p.end).toISOString()).toBe(end);
  });

  test.each(["2026-13", "2026-00", "2026-1", "26-11", "2026-11-01", "", "1999-12", "2026-11 "])("malformed %p", (key) => {
    expect(parsePeriod(key, "UTC")).toBeNull();
  });

  test("periodOf and previousPeriod follow the zone", () => {
    const t = Date.UTC(2026, 11, 1, 2, 0); // Dec 1 02:00 UTC = Nov 30 21:00 in New York
    expect(periodOf(t, "UTC").key).toBe("2026-12");
    expect(periodOf(t, "America/New_York").key).toBe("2026-11");
    expect(previousPeriod(periodOf(t, "UTC"), "UTC").key).toBe("2026-11");
    expect(previousPeriod(parsePeriod("2026-01", "UTC")!, "UTC").key).toBe("2025-12");
  });

  test("payouts due on the 15th after the period", () => {
    expect(new Date(dayAfterPeriod(parsePeriod("2026-11", "UTC")!, 15, "UTC")).toISOString()).toBe("2026-12-15T00:00:00.000Z");
    expect(new Date(dayAfterPeriod(parsePeriod("2026-12", "America/New_York")!, 15, "America/New_York")).toISOString()).toBe("2027-01-15T05:00:00.000Z");
  });
});

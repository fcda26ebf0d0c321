import { describe, expect, test } from "bun:test";
import { parseTimestamp } from "./time";

const T = Date.UTC(2026, 4, 14, 18, 48, 42);

describe("parseTimestamp", () => {
  test.each([
    ["ISO with Z", "2026-05-14T18:48:42Z", T],
    ["ISO with offset", "2026-05-14T11:48:42-07:00", T],
    ["ISO with compact offset", "2026-05-14T20:48:42+0200", T],
    ["ISO with hour-only offset", "2026-05-14T20:48:42+02", T],
    ["no zone means UTC", "2026-05-14T18:48:42", T],
    ["space separator, no zone (Refersion)", "2026-05-14 18:48:42", T],
    ["fractional seconds", "2026-05-14T18:48:42.250Z", T + 250],
    ["minutes only", "2026-05-14T18:48", T - 42_000],
    ["date only", "2026-05-14", Date.UTC(2026, 4, 14)],
    ["UTC word", "2026-05-14 18:48:42 UTC", T],
    ["unix seconds", String(T / 1000), T],
    ["unix seconds with fraction", `${T / 1000}.5`, T + 500],
    ["unix milliseconds", String(T), T],
    ["surrounding whitespace", `  ${T}  `, T],
  ])("%s: %p", (_name, input, expected) => {
    expect(parseTimestamp(input as string)).toBe(expected as number);
  });

  test.each([
    ["garbage", "yesterday"],
    ["US format", "05/14/2026"],
    ["invalid day", "2026-02-30T00:00:00Z"],
    ["invalid hour", "2026-05-14T25:00:00Z"],
    ["epoch zero (a default, not a date)", "0"],
    ["before 2000", "1999-12-31T23:59:59Z"],
    ["far future", "2200-01-01"],
    ["negative", "-1778784522"],
    ["empty", ""],
  ])("rejects %s: %p", (_name, input) => {
    expect(parseTimestamp(input as string)).toBeNull();
  });
});

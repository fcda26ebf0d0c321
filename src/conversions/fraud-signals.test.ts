import { describe, expect, test } from "bun:test";
import { fraudSignals, valueStats, type SignalInput } from "./fraud-signals";

const T = 1_800_000_000_000;
const base = (o: Partial<SignalInput> = {}): SignalInput => ({
  conversion: { createdAt: T, programValueMinor: 5_000, currency: "USD" },
  click: { createdAt: T - 3_600_000, isBot: false, botReason: null, ipHash: "h1" },
  sameIpCount: 1, programValues: null, ...o,
});
const kinds = (i: SignalInput) => fraudSignals(i).map((s) => s.kind);
const stats = (n: number, v: number) => valueStats(Array.from({ length: n }, () => v));

describe("fraudSignals", () => {
  test("an ordinary conversion has none", () => expect(kinds(base())).toEqual([]));
  test("no click: no click-based signal", () => expect(kinds(base({ click: null, sameIpCount: 9 }))).toEqual([]));
  test.each([
    ["head_request", "HEAD request"], ["prefetch", "prefetch"], ["bot_user_agent", "known bot"], [null, "a bot"],
  ])("bot click (%s) says why", (reason, words) => {
    const [s] = fraudSignals(base({ click: { createdAt: T - 1000, isBot: true, botReason: reason, ipHash: null } }));
    expect(s!.kind).toBe("bot_click");
    expect(s!.detail).toContain(words);
  });
  test.each([
    [0, true], [9_499, true], [9_999, true], [10_000, false], [60_000, false],
  ])("click %i ms before the conversion -> fast: %p", (gap, fast) => {
    expect(kinds(base({ click: { createdAt: T - gap, isBot: false, botReason: null, ipHash: "h" } })).includes("fast_conversion")).toBe(fast);
  });
  test("a click after the conversion (clock skew) is not 'fast'", () => {
    expect(kinds(base({ click: { createdAt: T + 5_000, isBot: false, botReason: null, ipHash: "h" } }))).toEqual([]);
  });
  test.each([[2, false], [3, true], [40, true]])("same IP on %i conversions -> %p", (n, flagged) => {
    expect(kinds(base({ sameIpCount: n })).includes("same_ip")).toBe(flagged);
  });
  test("same IP needs a hash (a click whose IP was never hashed is not grouped)", () => {
    expect(kinds(base({ sameIpCount: 5, click: { createdAt: T - 60_000, isBot: false, botReason: null, ipHash: null } }))).toEqual([]);
  });
  test.each([
    ["too few samples", stats(19, 1_000), 100_000, false],
    ["above p95 and 3x median", stats(50, 1_000), 3_000, true],
    ["above p95 but under 3x median", stats(50, 1_000), 2_999, false],
    ["at p95", valueStats([...Array(40).fill(1_000), ...Array(10).fill(9_000)]), 9_000, false],
  ])("order value outlier: %s", (_n, s, value, flagged) => {
    const i = base({ programValues: s, conversion: { createdAt: T, programValueMinor: value, currency: "USD" } });
    expect(kinds(i).includes("value_outlier")).toBe(flagged);
  });
});

describe("valueStats", () => {
  test("median (even and odd) and nearest-rank p95", () => {
    expect(valueStats([3, 1, 2])).toEqual({ count: 3, medianMinor: 2, p95Minor: 3 });
    expect(valueStats([1, 2, 3, 4])).toEqual({ count: 4, medianMinor: 3, p95Minor: 4 });
    expect(valueStats(Array.from({ length: 100 }, (_, i) => i + 1))).toEqual({ count: 100, medianMinor: 51, p95Minor: 95 });
    expect(valueStats([])).toEqual({ count: 0, medianMinor: 0, p95Minor: 0 });
  });
});

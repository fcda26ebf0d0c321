import { describe, expect, test } from "bun:test";
import { GRAIN_MS, localMidnightsIn, rollupPieces } from "./rollup-ranges";
import { lastDays, localMidnight } from "./periods";

const Q = 900_000, H = 3_600_000, D = 86_400_000;
const T0 = Date.UTC(2026, 10, 2); // a Monday, 00:00 UTC

/** [start, end) intervals of the pieces, sorted. */
function intervals(p: ReturnType<typeof rollupPieces>) {
  return [...p.spans.map((s) => ({ start: s.from * GRAIN_MS[s.grain]!, end: s.to * GRAIN_MS[s.grain]! })), ...p.partial].sort((a, b) => a.start - b.start);
}

/** The pieces tile the range exactly: no gap, no overlap. */
function expectTiles(range: { start: number; end: number }, cuts: number[] = [], grains = [1, 2]) {
  const p = rollupPieces(range, cuts, grains);
  const iv = intervals(p);
  let at = range.start;
  for (const i of iv) { expect(i.start).toBe(at); expect(i.end).toBeGreaterThan(i.start); at = i.end; }
  expect(at).toBe(range.end);
  const fine = GRAIN_MS[grains[0]!]!;
  for (const part of p.partial) expect(part.end - part.start).toBeLessThan(2 * fine); // at most two unaligned edges of one bucket
  // No bucket crosses a cut.
  for (const s of p.spans) for (let b = s.from; b < s.to; b++) {
    const w = GRAIN_MS[s.grain]!;
    for (const c of cuts) expect(c > b * w && c < (b + 1) * w).toBe(false);
  }
  return p;
}

describe("rollupPieces", () => {
  test("a whole UTC month is days only", () => {
    const p = expectTiles({ start: Date.UTC(2026, 10, 1), end: Date.UTC(2026, 11, 1) });
    expect(p).toEqual({ spans: [{ grain: 2, from: Date.UTC(2026, 10, 1) / D, to: Date.UTC(2026, 11, 1) / D }], partial: [] });
  });
  test("a local month at +05:30: its two half hours off the UTC hour from the base rows, hours at the edges, days in the middle", () => {
    const tz = "Asia/Kolkata";
    const start = localMidnight(2026, 11, 1, tz), end = localMidnight(2026, 12, 1, tz);
    const p = expectTiles({ start, end });
    expect(p.partial).toEqual([{ start, end: start + 30 * 60_000 }, { start: end - 30 * 60_000, end }]);
    expect(p.spans.map((s) => s.grain).sort()).toEqual([1, 1, 2]);
  });
  test("with days only, a local month in Berlin would leave 1 and 23 hours to the base rows (why every dim keeps hours)", () => {
    const tz = "Europe/Berlin";
    const start = localMidnight(2026, 11, 1, tz), end = localMidnight(2026, 12, 1, tz);
    const p = expectTiles({ start, end }, [], [2]);
    expect(p.partial).toEqual([{ start, end: start + H }, { start: end - 23 * H, end }]);
    expect(p.spans).toEqual([{ grain: 2, from: (start + H) / D, to: (end - 23 * H) / D }]);
    expect(expectTiles({ start, end }).partial).toEqual([]);
  });
  test("a running period ending at now + 1 counts its current hour from the base rows", () => {
    const now = T0 + 10 * H + 7 * 60_000 + 123;
    const p = expectTiles({ start: T0, end: now + 1 });
    expect(p.partial).toEqual([{ start: T0 + 10 * H, end: now + 1 }]);
    expect(p.spans).toEqual([{ grain: 1, from: T0 / H, to: (T0 + 10 * H) / H }]);
  });
  test("less than an hour is all partial; an empty range has no piece", () => {
    expect(expectTiles({ start: T0 + 5, end: T0 + 600_000 })).toEqual({ spans: [], partial: [{ start: T0 + 5, end: T0 + 600_000 }] });
    expect(rollupPieces({ start: T0, end: T0 })).toEqual({ spans: [], partial: [] });
  });
  test("by-day cuts keep every bucket inside one local day, in any zone", () => {
    for (const tz of ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe"]) {
      const now = Date.UTC(2026, 9, 30, 13, 7, 3); // DST ends in Europe and the US within these 30 days
      const days = lastDays(30, now, tz);
      const range = { start: days[0]!, end: now + 1 };
      const cuts = localMidnightsIn(range, tz);
      expect(cuts).toEqual(days.slice(1));
      expectTiles(range, cuts);
      expectTiles(range, cuts, [2]);
    }
  });
  test("random ranges tile exactly", () => {
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let i = 0; i < 500; i++) {
      const start = T0 + rnd(40 * D) - (rnd(2) ? rnd(Q) : 0);
      const end = start + rnd(3) * rnd(60 * D) + rnd(D) + rnd(Q);
      const cuts = Array.from({ length: rnd(4) }, () => start + rnd(Math.max(1, end - start)));
      expectTiles({ start, end }, cuts.map((c) => Math.floor(c / Q) * Q));
      expectTiles({ start, end }, cuts, [2]);
    }
  });
});
